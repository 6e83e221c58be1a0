// Steps several stories share, each made of the person-like actions of EditorSession.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CommandId } from '../../../src/vscode/commandIds';
import type { FakeSonarQube } from '../../fake-sonarqube';
import type { EditorSession } from './session';
import { REPO_ROOT } from './vsix';

/** A palette title of the extension, e.g. `command('Generate Token…')`. */
export function command(title: string): string {
  return `SonarQube Tokens: ${title}`;
}

/** How the tree and the notifications name a connection to the fake (`127.0.0.1:<port>`). */
export function connectionLabel(fake: FakeSonarQube): string {
  const url = new URL(fake.url);
  return `${url.hostname}:${url.port}`;
}

/** An anchored pattern for a tree label, so that "Laptop" does not also match "Laptop (rotated)". */
export function exactly(label: string): RegExp {
  return new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * Add Connection… (started through the test control: the palette is not what these tests are about): SonarQube
 * Server, the fake's URL, paste `token`. Does not wait for the outcome.
 */
export async function addServerConnectionByPaste(editor: EditorSession, fake: FakeSonarQube, token: string): Promise<void> {
  await editor.control.startCommand(CommandId.addConnection);
  await editor.quickInputPick('SonarQube Server');
  await editor.quickInputType(fake.url);
  await editor.quickInputPick(/Paste a user token/);
  await editor.quickInputType(token);
}

/** Signs in by paste and waits for the success notification and the connection in the view. */
export async function connectByPaste(editor: EditorSession, fake: FakeSonarQube, token: string, userName: string): Promise<void> {
  await editor.openView();
  await addServerConnectionByPaste(editor, fake, token);
  const label = connectionLabel(fake);
  await editor.waitForNotification(new RegExp(`Signed in to ${label.replace(/\./g, '\\.')} as ${userName}`));
  await editor.treeItem(exactly(label)).waitFor();
}

/**
 * Generate Token… from the connection's context menu (or `treeLabel`'s, e.g. a user node with "Generate Token for
 * User…"): keeps the suggested-name field's text replaced by `name`, picks User when asked, `expiration`, then `after`.
 */
export async function generateToken(
  editor: EditorSession,
  options: {
    treeLabel: string | RegExp; menu?: string; name: string; expiration?: string | RegExp; after?: string | RegExp; askType?: boolean;
    /** Runs while the expiration choices are shown (e.g. a screenshot). */
    atExpiration?: () => Promise<void>;
  },
): Promise<void> {
  await editor.contextMenu(options.treeLabel, options.menu ?? 'Generate Token…');
  await editor.quickInputType(options.name);
  if (options.askType ?? true) await editor.quickInputPick(exactly('User'));
  const expiration = options.expiration ?? exactly('30 days');
  if (options.atExpiration) {
    const label = editor.page.locator('.label-name, .monaco-highlighted-label', { hasText: expiration });
    await editor.quickInput().locator('.monaco-list-row').filter({ has: label }).first().waitFor();
    await options.atExpiration();
  }
  await editor.quickInputPick(expiration);
  await editor.quickInputPick(options.after ?? /Keep in secure storage/);
}

/** The value the fake issued last (a generated token's value, never shown by the extension). */
export function newestIssuedValue(fake: FakeSonarQube): string {
  const values = fake.issuedTokenValues();
  return values[values.length - 1]!;
}

/** The tree row's accessible label (name, description and whether the value is held). */
export async function treeItemAriaLabel(editor: EditorSession, label: string | RegExp): Promise<string> {
  return (await editor.treeItem(label).getAttribute('aria-label')) ?? '';
}

/** The description shown next to a tree item's label. */
export async function treeItemDescription(editor: EditorSession, label: string | RegExp): Promise<string> {
  return ((await editor.treeItem(label).locator('.label-description').textContent()) ?? '').trim();
}

/** The entries of a tree item's context menu (closed again with Escape). */
export async function contextMenuEntries(editor: EditorSession, label: string | RegExp): Promise<string[]> {
  await editor.treeItem(label).click({ button: 'right' });
  const menu = editor.page.locator('.monaco-menu');
  await menu.waitFor();
  const entries = (await menu.locator('.action-label').allInnerTexts()).map((text) => text.trim()).filter(Boolean);
  await editor.page.keyboard.press('Escape');
  return entries;
}

/** The User settings.json of the session, parsed (code-server writes plain JSON there). */
export function userSettings(editor: EditorSession): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(editor.profile.userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
}

/** True when screenshots for the README should be (re)written: `UPDATE_SCREENSHOTS=1`. */
export const updateScreenshots = process.env.UPDATE_SCREENSHOTS === '1';

/** Drags the side bar's edge so that it is `width` pixels wide: tree descriptions then show in full. */
export async function widenSideBar(editor: EditorSession, width: number): Promise<void> {
  const sash = await editor.page.locator('.monaco-sash.vertical.primary-sidebar-sash').boundingBox();
  const sideBar = await editor.page.locator('.part.sidebar').boundingBox();
  if (!sash || !sideBar) throw new Error('the side bar is not shown');
  const x = sash.x + sash.width / 2;
  const y = sash.y + sash.height / 2;
  await editor.page.mouse.move(x, y);
  await editor.page.mouse.down();
  await editor.page.mouse.move(x + (sideBar.x + width - x) / 2, y, { steps: 4 });
  await editor.page.mouse.move(sideBar.x + width, y, { steps: 4 });
  await editor.page.mouse.up();
}

/** Before a README screenshot: no leftover notifications, no panel. */
export async function tidyWorkbench(editor: EditorSession): Promise<void> {
  if (!updateScreenshots) return;
  await editor.control.runCommand('notifications.clearAll');
  await editor.control.runCommand('workbench.action.closePanel');
}

/** The page size README screenshots are taken at. */
export const README_VIEWPORT = { width: 1280, height: 800 };

/**
 * Writes docs/images/<name>.png from the page as it is now, only with UPDATE_SCREENSHOTS=1 so that CI never rewrites
 * the committed images. `clip` narrows it to a part of the page.
 */
export async function readmeScreenshot(editor: EditorSession, name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<void> {
  if (!updateScreenshots) return;
  const file = path.join(REPO_ROOT, 'docs', 'images', `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // No hover tooltip; quick inputs and notifications fade in.
  await editor.page.mouse.move(README_VIEWPORT.width - 300, README_VIEWPORT.height / 2);
  await editor.page.waitForTimeout(800);
  await editor.page.screenshot({ path: file, clip });
}
