// One real VS Code (code-server) with the packaged extension, driven through Debian's Chromium the way a person would:
// command palette, quick inputs, notifications, the activity bar, the tree, context menus.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  CHROMIUM_PATH, ensureCodeServer, installExtensions, requireChromium, startCodeServer,
} from './codeServer';
import type { CodeServerProfile, RunningCodeServer } from './codeServer';
import { freePort } from './ports';
import { extensionVsix, REPO_ROOT } from './vsix';

const UI_TIMEOUT_MS = 30_000;
/** How long a pick may take to show the next step of a multi-step input (loading the commands bundle on first use). */
const NEXT_STEP_WAIT_MS = 15_000;
/** How long Enter in a quick input may take to show the next step or close it before the text is typed again. */
const ENTER_TAKEN_WAIT_MS = 3_000;
/** A quick input hidden this long is closed, not between two steps. */
const CLOSED_FOR_GOOD_MS = 1_000;
/** How often a pick is clicked when the quick input still offers the entry afterwards. */
const MAX_PICK_ATTEMPTS = 3;
/** The command palette's placeholder: while it shows, the quick input is not yet the step a command opened. */
const PALETTE_PLACEHOLDER = 'Type the name of a command to run.';
/** One command the SonarQube for IDE stub received; edit commands also say whether the real form would have opened. */
export interface SonarLintCall {
  readonly command: string;
  readonly args: unknown[];
  readonly opened?: boolean;
  readonly connection?: Record<string, unknown>;
}

/** Where the SonarQube for IDE stub (test/e2e/fixtures/sonarlint-stub) records the commands it received. */
const SONARLINT_STUB_CALLS_FILE = 'sonarlint-stub-calls.jsonl';
export const VIEW_CONTAINER_TITLE = 'SonarQube Tokens';
const VIEW_CONTAINER_ID = 'workbench.view.extension.sonarqubeTokens';
const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
/** Any value shaped like a SonarQube token (user, analysis, project, global). */
const TOKEN_SHAPE = /sq[uapb]_[0-9a-f]{40}/;

/** Settings that keep a fresh editor quiet and deterministic. */
const QUIET_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export interface EditorSessionOptions {
  /** The fake SonarQube of the test: the values it issued are part of every secret scan. */
  fake?: { issuedTokenValues(): string[] };
  /** Names of the workspace folders to create and open; more than one opens a multi-root workspace. */
  workspaceFolders?: string[];
  /** Files to create before the editor starts: `~/x` is relative to HOME, anything else to the workspace root. */
  files?: Record<string, string>;
  /** User settings (merged over quiet defaults). */
  userSettings?: Record<string, unknown>;
  /**
   * Settings of this machine: code-server's window is a remote one, where `machine`-scoped settings (the MCP launcher's)
   * are read from the Remote settings only and ignored in User settings, as in any VS Code remote window.
   */
  machineSettings?: Record<string, unknown>;
  /** More VSIX files to install next to the extension, e.g. `await sonarLintStubVsix()`. */
  extraVsix?: string[];
  /** More environment variables for code-server and its extension host. */
  env?: Record<string, string>;
  /** Name of the results folder (`test-results/<name>/`); editorSessions() sets it to the test's title. */
  name?: string;
  /** Size of the browser page; 1400x900 unless told (README screenshots use 1280x800). */
  viewport?: { width: number; height: number };
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 120) || 'session';
}

function writeFiles(root: string, home: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    const target = name.startsWith('~/') ? path.join(home, name.slice(2)) : path.join(root, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
}

/** Records the text of every notification and dialog the workbench shows (for the secret scan); runs in the page. */
const RECORD_SHOWN_MESSAGES = `
  window.__shownMessages = new Set();
  const collect = () => {
    for (const element of document.querySelectorAll('.notification-list-item, .monaco-dialog-box')) {
      const text = element.innerText && element.innerText.trim();
      if (text) window.__shownMessages.add(text);
    }
  };
  new MutationObserver(collect).observe(document, { childList: true, subtree: true, characterData: true });
`;

export class EditorSession {
  private readonly consoleLines: string[] = [];
  /** What the harness did with quick inputs, kept with a failed test's results. */
  private readonly actions: string[] = [];

  private trace(line: string): void {
    this.actions.push(`${new Date().toISOString()} ${line}`);
  }

  private constructor(
    readonly page: Page,
    private readonly browser: Browser,
    private readonly server: RunningCodeServer,
    private readonly sessionRoot: string,
    readonly profile: CodeServerProfile,
    /** The folder holding the workspace folders (and the .code-workspace file of a multi-root workspace). */
    readonly workspaceRoot: string,
    readonly resultsDir: string,
    private readonly fake: EditorSessionOptions['fake'],
  ) {
    page.on('console', (message) => this.consoleLines.push(`[${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => this.consoleLines.push(`[pageerror] ${error.message}`));
  }

  static async start(options: EditorSessionOptions = {}): Promise<EditorSession> {
    requireChromium();
    const install = await ensureCodeServer();
    const sessionRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sqt-e2e-'));
    const profile: CodeServerProfile = {
      userDataDir: path.join(sessionRoot, 'user-data'),
      extensionsDir: path.join(sessionRoot, 'extensions'),
      home: path.join(sessionRoot, 'home'),
    };
    const workspaceRoot = path.join(sessionRoot, 'workspace');
    const folders = options.workspaceFolders ?? ['project'];
    for (const folder of folders) fs.mkdirSync(path.join(workspaceRoot, folder), { recursive: true });
    fs.mkdirSync(path.join(profile.userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(profile.userDataDir, 'User', 'settings.json'),
      JSON.stringify({ ...QUIET_USER_SETTINGS, ...options.userSettings }, null, 2));
    if (options.machineSettings) {
      fs.mkdirSync(path.join(profile.userDataDir, 'Machine'), { recursive: true });
      fs.writeFileSync(path.join(profile.userDataDir, 'Machine', 'settings.json'), JSON.stringify(options.machineSettings, null, 2));
    }
    writeFiles(workspaceRoot, profile.home, options.files ?? {});
    let target: string;
    if (folders.length === 1) {
      target = `folder=${encodeURIComponent(path.join(workspaceRoot, folders[0]))}`;
    } else {
      const workspaceFile = path.join(workspaceRoot, 'test.code-workspace');
      fs.writeFileSync(workspaceFile, JSON.stringify({ folders: folders.map((folder) => ({ path: folder })) }, null, 2));
      target = `workspace=${encodeURIComponent(workspaceFile)}`;
    }

    const logFile = path.join(sessionRoot, 'code-server.log');
    const resultsDir = path.join(RESULTS_DIR, slug(options.name ?? path.basename(sessionRoot)));
    let server: RunningCodeServer | undefined;
    let browser: Browser | undefined;
    let session: EditorSession | undefined;
    try {
      await installExtensions(install, profile, [extensionVsix(), ...(options.extraVsix ?? [])], logFile);
      const env = { SONARLINT_STUB_CALLS: path.join(sessionRoot, SONARLINT_STUB_CALLS_FILE), ...options.env };
      server = await startCodeServer({ install, profile, port: await freePort(), logFile, env });
      browser = await chromium.launch({
        executablePath: CHROMIUM_PATH,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
          '--disable-component-update', '--disable-sync'],
      });
      const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      await context.addInitScript({ content: RECORD_SHOWN_MESSAGES });
      const page = await context.newPage();
      page.setDefaultTimeout(UI_TIMEOUT_MS);
      session = new EditorSession(page, browser, server, sessionRoot, profile, workspaceRoot, resultsDir, options.fake);
      await page.goto(`${server.url}/?${target}`);
      // The extension's activity bar entry shows once the extension host has registered the installed extensions.
      await session.activityBarEntry().waitFor({ timeout: 60_000 });
      return session;
    } catch (error) {
      if (session) {
        await session.close(true);
      } else {
        await browser?.close();
        await server?.stop();
        fs.mkdirSync(resultsDir, { recursive: true });
        if (fs.existsSync(logFile)) fs.copyFileSync(logFile, path.join(resultsDir, 'code-server.log'));
        fs.rmSync(sessionRoot, { recursive: true, force: true });
      }
      throw error;
    }
  }

  // ---- actions a person takes ----

  /** F1, type the command's title as shown in the palette (e.g. "SonarQube Tokens: Add Connection…"), Enter. */
  async runCommand(title: string): Promise<void> {
    const deadline = Date.now() + UI_TIMEOUT_MS;
    for (;;) {
      await this.page.keyboard.press('F1');
      const input = this.quickInputBox();
      await input.waitFor();
      await input.fill(`>${title}`);
      // Enter only once the palette's top entry is this very command, so a slow filter never runs another one.
      const match = this.quickInput().locator('.monaco-list-row.focused', { hasText: title }).first();
      try {
        await match.waitFor({ timeout: 3000 });
        const palette = await this.quickInputStep();
        await this.page.keyboard.press('Enter');
        this.trace(`command ${title}`);
        // What comes next (a quick pick of the command) reuses the widget: let the palette leave it first.
        await this.waitForNextStep(palette, NEXT_STEP_WAIT_MS);
        return;
      } catch (error) {
        // The palette keeps the list it opened with: commands of extensions registered since then need a reopen.
        this.trace(`command ${title} not listed yet: reopening the palette`);
        await this.page.keyboard.press('Escape');
        if (Date.now() > deadline) throw error;
      }
    }
  }

  /** Types into the open quick input (input box or pick filter) and, unless told otherwise, presses Enter. */
  async quickInputType(text: string, options: { submit?: boolean } = {}): Promise<void> {
    const input = this.quickInputBox();
    await this.stepOfCommand().waitFor();
    // The widget is reused from one step to the next: text typed while the next step is being shown is wiped when it
    // appears, sometimes only after Enter. Type again until the value holds and Enter has been taken.
    for (let attempt = 0; ; attempt++) {
      await input.fill(text);
      await this.page.waitForTimeout(250);
      if ((await input.inputValue()) !== text && attempt < 10) {
        this.trace(`typed text wiped before Enter (attempt ${attempt}): ${JSON.stringify(await this.quickInputStep())}`);
        continue;
      }
      if (!(options.submit ?? true)) return;
      const before = await this.quickInputStep();
      await input.press('Enter');
      await this.waitForNextStep(before, ENTER_TAKEN_WAIT_MS);
      const stayed = (await this.quickInput().isVisible()) && (await this.quickInputStep()) === before;
      this.trace(`Enter at ${JSON.stringify(before)}: now ${JSON.stringify(await this.quickInputStep())}, value ${JSON.stringify(await input.inputValue() === text ? 'kept' : 'changed')}`);
      // Still on the same step with the text in place: the input refused it (a validation message the caller reads).
      if (!stayed || (await input.inputValue()) === text || attempt >= 10) return;
    }
  }

  /** Clicks the entry of the open quick pick whose label matches. */
  async quickInputPick(label: string | RegExp): Promise<void> {
    const row = this.quickInput().locator('.monaco-list-row').filter({
      has: this.page.locator('.label-name, .monaco-highlighted-label', { hasText: label }),
    }).first();
    for (let attempt = 1; ; attempt++) {
      // A command that opens the pick slowly leaves the palette's placeholder shown over its rows: a click then is lost.
      await this.stepOfCommand().waitFor();
      const before = await this.quickInputStep();
      // The mouse left where the last click was shows that entry's hover, which can cover this one: move it away first.
      const viewport = this.page.viewportSize();
      if (viewport) await this.page.mouse.move(viewport.width - 40, viewport.height / 2);
      await row.click();
      this.trace(`picked ${String(label)} at ${JSON.stringify(before)}`);
      // The widget is reused for the next step: wait until it shows that step (or closes), so that what is typed next
      // does not land in this one's filter and get wiped.
      await this.waitForNextStep(before, NEXT_STEP_WAIT_MS);
      // A click that lands while the step is still being set up is lost: the same step still offers the entry.
      const lost = (await this.quickInput().isVisible()) && (await this.quickInputStep()) === before && (await row.isVisible());
      if (!lost || attempt === MAX_PICK_ATTEMPTS) return;
      this.trace(`${String(label)} is still offered at the same step: picking it again`);
    }
  }

  /** Waits until the quick input shows another step than `before`, or has stayed closed for a while, or `ms` passed. */
  private async waitForNextStep(before: string, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    let closedSince: number | undefined;
    while (Date.now() < deadline) {
      if (await this.quickInput().isVisible()) {
        closedSince = undefined;
        if ((await this.quickInputStep()) !== before) return;
      } else {
        closedSince ??= Date.now();
        if (Date.now() - closedSince >= CLOSED_FOR_GOOD_MS) return;
      }
      await this.page.waitForTimeout(100);
    }
  }

  /** The quick input's box once it belongs to a step of a command, not to the command palette. */
  private stepOfCommand(): Locator {
    return this.quickInput().locator(`.quick-input-box input:not([placeholder="${PALETTE_PLACEHOLDER}"])`);
  }

  /** What tells one step of the quick input from the next: its title and its input's placeholder. */
  private async quickInputStep(): Promise<string> {
    // A step without a title hides the element but leaves the previous step's text in it.
    const titleElement = this.quickInput().locator('.quick-input-title');
    const title = (await titleElement.isVisible()) ? await titleElement.textContent({ timeout: 1000 }).catch(() => '') : '';
    const placeholder = await this.quickInputBox().getAttribute('placeholder', { timeout: 1000 }).catch(() => '');
    return `${title ?? ''}\n${placeholder ?? ''}`;
  }

  /** The title of the open quick input (e.g. "Add Connection (1/3)"), or '' when it has none. */
  async quickInputTitle(): Promise<string> {
    await this.quickInput().waitFor();
    return (await this.quickInput().locator('.quick-input-title').textContent())?.trim() ?? '';
  }

  /** The validation or hint message under the quick input box. */
  async quickInputMessage(): Promise<string> {
    await this.quickInput().waitFor();
    return (await this.quickInput().locator('.quick-input-message').textContent())?.trim() ?? '';
  }

  /** Waits for a notification toast whose text matches and returns its text. */
  async waitForNotification(text: RegExp): Promise<string> {
    const toast = this.notification(text);
    try {
      await toast.waitFor({ timeout: UI_TIMEOUT_MS / 2 });
      return (await toast.innerText()).trim();
    } catch (error) {
      // VS Code drops toasts that come in a burst (its spam protection) and keeps them in the notification center
      // only: a person would find the message there.
      const listed = this.page.locator('.notifications-center .notification-list-item').filter({ hasText: text }).first();
      const bell = this.page.locator('#status\\.notifications .statusbar-item-label');
      await bell.click();
      const found = await listed.waitFor({ timeout: UI_TIMEOUT_MS / 2 }).then(() => listed.innerText(), () => undefined);
      await bell.click();
      if (found === undefined) throw error;
      return found.trim();
    }
  }

  async clickNotificationButton(text: RegExp, label: string): Promise<void> {
    await this.notification(text).getByRole('button', { name: label, exact: true }).click();
  }

  /** Clicks a button of the modal dialog and returns the dialog's message. */
  async dialogButton(label: string): Promise<string> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    const message = (await dialog.locator('.dialog-message-text, .dialog-message-detail').allInnerTexts()).join('\n');
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: label }).first().click();
    return message;
  }

  /** Opens the "SonarQube Tokens" view container from the activity bar (a click would close it if already open). */
  async openView(): Promise<void> {
    const entry = this.activityBarEntry();
    await entry.waitFor();
    const open = this.page.locator(`.activitybar .action-item.checked a[aria-label^="${VIEW_CONTAINER_TITLE}"]`);
    if (!(await open.isVisible())) await entry.click();
    // With one view in the container its header is hidden: wait for the view itself.
    await this.sidebar().locator(`[id="${VIEW_CONTAINER_ID}"]`).waitFor();
  }

  activityBarEntry(): Locator {
    return this.page.locator(`.activitybar .action-item a[aria-label^="${VIEW_CONTAINER_TITLE}"]`);
  }

  /** The row of the tree in the side bar whose label is `label`. */
  treeItem(label: string | RegExp, state = ''): Locator {
    return this.sidebar().locator(`.monaco-list-row[role="treeitem"]${state}`).filter({
      has: this.page.locator('.label-name', { hasText: label }),
    }).first();
  }

  async expandTreeItem(label: string | RegExp): Promise<void> {
    const row = this.treeItem(label);
    await row.waitFor();
    if ((await row.getAttribute('aria-expanded')) === 'false') {
      await row.locator('.monaco-tl-twistie').click();
    }
    await this.treeItem(label, '[aria-expanded="true"]').waitFor();
  }

  /** Right-clicks a tree item and chooses an entry of its context menu. */
  async contextMenu(treeLabel: string | RegExp, menuLabel: string): Promise<void> {
    const menu = this.page.locator('.context-view .monaco-menu');
    const entry = menu.getByRole('menuitem', { name: menuLabel }).first();
    const deadline = Date.now() + UI_TIMEOUT_MS;
    for (;;) {
      // On the label: the middle of a hovered row may be one of its inline actions, which has no context menu.
      await this.treeItem(treeLabel).locator('.label-name').first().click({ button: 'right' });
      try {
        await entry.waitFor({ timeout: 3000 });
        // Rows are recycled when the tree redraws: a click can land on another item's row. Then try again.
        if ((await this.treeItem(treeLabel, '.focused').count()) === 0) throw new Error(`the context menu opened on another row than ${String(treeLabel)}`);
        break;
      } catch (error) {
        await this.page.keyboard.press('Escape');
        if (Date.now() > deadline) throw error;
      }
    }
    await entry.click();
    // A click landing while the menu is still settling only highlights the entry: Enter then runs it.
    try {
      await menu.waitFor({ state: 'hidden', timeout: 1000 });
    } catch {
      await this.page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden' });
    }
  }

  /** A file's text, `~/x` relative to HOME, anything else to the workspace root; undefined when it does not exist. */
  readFile(name: string): string | undefined {
    const file = name.startsWith('~/') ? path.join(this.profile.home, name.slice(2)) : path.join(this.workspaceRoot, name);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  }

  /** The SonarQube for IDE commands the stub received so far (install it with `extraVsix: [await sonarLintStubVsix()]`). */
  sonarLintCalls(): SonarLintCall[] {
    const file = path.join(this.sessionRoot, SONARLINT_STUB_CALLS_FILE);
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as SonarLintCall);
  }

  /** The server-side extension host's log: activation events and failures of every extension. */
  extensionHostLog(): string {
    return listFiles(path.join(this.profile.userDataDir, 'logs'))
      .filter((file) => path.basename(file) === 'remoteexthost.log')
      .map((file) => fs.readFileSync(file, 'utf8')).join('\n');
  }

  /** Saves a PNG a person can look at into test-results/<session>/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(this.resultsDir, { recursive: true });
    const file = path.join(this.resultsDir, `${slug(name)}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Texts of every notification and dialog shown so far. */
  async shownMessages(): Promise<string[]> {
    return this.page.evaluate<string[]>('[...window.__shownMessages]');
  }

  /**
   * Places where a token value was written: files under the user-data folder, the workspace and HOME (searched as
   * bytes, UTF-8 and UTF-16), the code-server log, shown notifications and dialogs, and `extraText`. Looks for
   * `values`, the fake's issued tokens, and anything shaped like a SonarQube token. In code-server the secret store is
   * in the browser, so every hit is a leak.
   */
  async scanForSecrets(values: string[] = [], extraText: string[] = []): Promise<string[]> {
    const secrets = [...values, ...(this.fake?.issuedTokenValues() ?? [])].filter((value) => value.length > 0);
    const needles = secrets.flatMap((value) => [Buffer.from(value, 'utf8'), Buffer.from(value, 'utf16le')]);
    const leaks = (bytes: Buffer): boolean =>
      needles.some((needle) => bytes.includes(needle)) || TOKEN_SHAPE.test(bytes.toString('latin1'))
      || TOKEN_SHAPE.test(bytes.toString('utf16le'));
    const hits: string[] = [];
    const scanned = [this.profile.userDataDir, this.workspaceRoot, this.profile.home, path.join(this.sessionRoot, 'code-server.log')];
    for (const file of scanned.flatMap(listFiles)) {
      if (leaks(fs.readFileSync(file))) hits.push(path.relative(this.sessionRoot, file));
    }
    const texts = [...(await this.shownMessages()).map((text) => ['message', text]), ...extraText.map((text) => ['extra text', text])];
    for (const [kind, text] of texts) {
      if (leaks(Buffer.from(text, 'utf8'))) hits.push(`${kind}: ${text.slice(0, 60).replace(/sq[uapb]_\w+/g, '<token>')}…`);
    }
    return hits;
  }

  /**
   * Stops the browser and code-server and removes the throw-away folders. After a failure it first keeps a
   * screenshot, the editor's logs, the browser console and the shown messages under test-results/<session>/.
   */
  async close(failed = false): Promise<void> {
    try {
      if (failed) await this.keepEvidence();
    } finally {
      await this.browser.close().catch(() => undefined);
      await this.server.stop();
      fs.rmSync(this.sessionRoot, { recursive: true, force: true });
    }
  }

  private async keepEvidence(): Promise<void> {
    fs.mkdirSync(this.resultsDir, { recursive: true });
    await this.screenshot('failure').catch(() => undefined);
    const dom = await this.page.content().catch(() => '');
    fs.writeFileSync(path.join(this.resultsDir, 'dom.html'), dom);
    fs.writeFileSync(path.join(this.resultsDir, 'browser-console.log'), this.consoleLines.join('\n'));
    fs.writeFileSync(path.join(this.resultsDir, 'harness-actions.log'), this.actions.join('\n'));
    const messages = await this.shownMessages().catch(() => [] as string[]);
    fs.writeFileSync(path.join(this.resultsDir, 'shown-messages.txt'), messages.join('\n---\n'));
    fs.copyFileSync(path.join(this.sessionRoot, 'code-server.log'), path.join(this.resultsDir, 'code-server.log'));
    const logs = path.join(this.profile.userDataDir, 'logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, path.join(this.resultsDir, 'editor-logs'), { recursive: true });
  }

  /** The quick input widget (palette, quick pick or input box). */
  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  private quickInputBox(): Locator {
    return this.quickInput().locator('.quick-input-box input');
  }

  private notification(text: RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-list-item').filter({ hasText: text }).first();
  }

  private sidebar(): Locator {
    return this.page.locator('.part.sidebar');
  }
}

/** Polls until `condition` holds; fails after `timeoutMs` with `what` in the message. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function listFiles(entry: string): string[] {
  const stat = fs.lstatSync(entry, { throwIfNoEntry: false });
  if (!stat || stat.isSymbolicLink()) return [];
  if (stat.isFile()) return [entry];
  if (!stat.isDirectory()) return [];
  return fs.readdirSync(entry).flatMap((name) => listFiles(path.join(entry, name)));
}

/**
 * Registers mocha hooks for a suite: code-server is installed once before it (that may take minutes), and every
 * session a test starts is closed after the test, also when it fails (then with its evidence kept).
 * Returns the function tests start sessions with.
 */
export function editorSessions(): (options?: EditorSessionOptions) => Promise<EditorSession> {
  let open: EditorSession[] = [];
  let testTitle = 'session';
  const attempts = new Map<string, number>();
  before(async function () {
    this.timeout(25 * 60_000);
    await ensureCodeServer((line) => console.log(`      ${line}`));
  });
  beforeEach(function () {
    const title = this.currentTest?.fullTitle() ?? 'session';
    const earlier = attempts.get(title) ?? 0;
    attempts.set(title, earlier + 1);
    // A retry keeps its results apart from those of the attempt that failed.
    testTitle = earlier > 0 ? `${title} retry ${earlier}` : title;
  });
  afterEach(async function () {
    // An attempt that will be retried is not marked failed yet: anything but passed or skipped keeps its evidence.
    const failed = this.currentTest?.state !== 'passed' && this.currentTest?.state !== 'pending';
    const closing = open;
    open = [];
    for (const session of closing) await session.close(failed);
  });
  return async (options = {}) => {
    const name = options.name ?? (open.length === 0 ? testTitle : `${testTitle} ${open.length + 1}`);
    const session = await EditorSession.start({ ...options, name });
    open.push(session);
    return session;
  };
}
