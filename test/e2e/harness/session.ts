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
import { TEST_CONTROL_PORT_FILE_VARIABLE, TestControl } from './testControl';
import { extensionVsix, REPO_ROOT, testControlVsix } from './vsix';
import { ContextMenu } from './workbench/contextMenu';
import { Dialogs } from './workbench/dialogs';
import { Notifications } from './workbench/notifications';
import { QuickInput } from './workbench/quickInput';
import { UI_TIMEOUT_MS } from './workbench/shared';
import { Tree } from './workbench/tree';

export { VIEW_CONTAINER_TITLE } from './workbench/tree';
export { waitUntil } from './waitUntil';

/** One command the SonarQube for IDE stub received; edit commands also say whether the real form would have opened. */
export interface SonarLintCall {
  readonly command: string;
  readonly args: unknown[];
  readonly opened?: boolean;
  readonly connection?: Record<string, unknown>;
}

/** Where the SonarQube for IDE stub (test/e2e/fixtures/sonarlint-stub) records the commands it received. */
const SONARLINT_STUB_CALLS_FILE = 'sonarlint-stub-calls.jsonl';
/** Where the test control extension writes the port it listens on. */
const TEST_CONTROL_PORT_FILE = 'test-control-port';
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
  readonly quickInputs: QuickInput;
  readonly notifications: Notifications;
  readonly dialogs: Dialogs;
  readonly tree: Tree;
  readonly contextMenus: ContextMenu;
  /** Runs commands in the extension host without clicks, for steps that only prepare a test. */
  readonly control: TestControl;

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
    this.quickInputs = new QuickInput(page, (line) => this.trace(line));
    this.notifications = new Notifications(page);
    this.dialogs = new Dialogs(page);
    this.tree = new Tree(page);
    this.contextMenus = new ContextMenu(page, this.tree);
    this.control = new TestControl(path.join(sessionRoot, TEST_CONTROL_PORT_FILE));
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
      await installExtensions(install, profile, [extensionVsix(), await testControlVsix(), ...(options.extraVsix ?? [])], logFile);
      const env = {
        SONARLINT_STUB_CALLS: path.join(sessionRoot, SONARLINT_STUB_CALLS_FILE),
        [TEST_CONTROL_PORT_FILE_VARIABLE]: path.join(sessionRoot, TEST_CONTROL_PORT_FILE),
        ...options.env,
      };
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

  // ---- actions a person takes, through the workbench's parts (harness/workbench/) ----

  runCommand(title: string): Promise<void> {
    return this.quickInputs.runCommand(title);
  }

  quickInputType(text: string, options: { submit?: boolean } = {}): Promise<void> {
    return this.quickInputs.type(text, options);
  }

  quickInputPick(label: string | RegExp): Promise<void> {
    return this.quickInputs.pick(label);
  }

  quickInputTitle(): Promise<string> {
    return this.quickInputs.title();
  }

  quickInputMessage(): Promise<string> {
    return this.quickInputs.message();
  }

  /** The quick input widget (palette, quick pick or input box). */
  quickInput(): Locator {
    return this.quickInputs.widget();
  }

  waitForNotification(text: RegExp): Promise<string> {
    return this.notifications.waitFor(text);
  }

  clickNotificationButton(text: RegExp, label: string): Promise<void> {
    return this.notifications.clickButton(text, label);
  }

  dialogButton(label: string): Promise<string> {
    return this.dialogs.clickButton(label);
  }

  openView(): Promise<void> {
    return this.tree.openView();
  }

  activityBarEntry(): Locator {
    return this.tree.activityBarEntry();
  }

  treeItem(label: string | RegExp, state = ''): Locator {
    return this.tree.item(label, state);
  }

  expandTreeItem(label: string | RegExp): Promise<void> {
    return this.tree.expand(label);
  }

  contextMenu(treeLabel: string | RegExp, menuLabel: string): Promise<void> {
    return this.contextMenus.choose(treeLabel, menuLabel);
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
