import * as os from 'node:os';
import * as vscode from 'vscode';
import { PendingClears } from '../core/clipboard/autoClear';
import { ConnectionStore } from '../core/connections/connectionStore';
import { rememberingSecretStore } from '../core/logging/knownSecrets';
import type { KnownSecrets } from '../core/logging/knownSecrets';
import type { ConnectionRecord } from '../core/connections/connectionStore';
import type { FlowDeps } from '../core/flows/deps';
import { WordedError } from '../core/flows/describeError';
import { OperationJournal } from '../core/journal/journal';
import type { CopyTokenDeps } from '../core/flows/copyToken';
import type { TokenChecker } from '../core/exposure/liveness';
import { systemClock } from '../core/ports';
import type { Clipboard, Logger } from '../core/ports';
import { SonarApiError } from '../core/sonar/errors';
import type { SonarTarget, TokenApi } from '../core/sonar/types';
import { HeldTokens, TokenVault } from '../core/tokens/heldTokens';
import { TokensModel } from '../core/tokens/tokensModel';
import { GlobalStateStore } from './globalState';
import { t } from './l10n';
import { readHttpSettings } from './httpSettings';
import type { HttpSettings } from './httpSettings';
import { QuickPrompter } from './quickPrompter';
import { readSetting, Settings } from './settings';
import { VsCodeSecretStore } from './secretStorage';
import { loadSonar } from './sonarLoader';
import type * as SonarModule from '../core/sonar/index';

const systemClipboard: Clipboard = {
  readText: () => Promise.resolve(vscode.env.clipboard.readText()),
  writeText: (value: string) => Promise.resolve(vscode.env.clipboard.writeText(value)),
};

/** Everything the commands and the view share, created once at activation without any I/O. */
export class Services implements vscode.Disposable {
  readonly state: GlobalStateStore;
  readonly secrets: VsCodeSecretStore;
  readonly connections: ConnectionStore;
  readonly heldTokens: HeldTokens;
  readonly vault: TokenVault;
  readonly journal: OperationJournal;
  readonly model: TokensModel;
  readonly prompter: QuickPrompter;
  private readonly pendingClears = new PendingClears();
  private pool?: SonarModule.DispatcherPool;
  private httpSettings?: HttpSettings;
  /** Signed-in clients by connection, so the server version is probed once and connections are kept alive. */
  private readonly clients = new Map<string, TokenApi>();

  constructor(
    context: vscode.ExtensionContext,
    readonly logger: Logger,
    /** Every value read from or written to secure storage, or being checked: masked in logs and notifications. */
    readonly knownSecrets: KnownSecrets,
  ) {
    this.prompter = new QuickPrompter((text) => knownSecrets.redact(text));
    this.state = new GlobalStateStore(context.globalState);
    this.secrets = new VsCodeSecretStore(context.secrets);
    this.connections = new ConnectionStore(this.state, { t, logger });
    this.heldTokens = new HeldTokens(this.state, logger);
    this.vault = new TokenVault(rememberingSecretStore(this.secrets, knownSecrets), this.heldTokens);
    this.journal = new OperationJournal(this.state, undefined, systemClock, logger);
    this.model = new TokensModel({ apiFor: (id) => this.apiFor(id), logger });
  }

  /** A client for any target and token (sign-in checks); loads the HTTP bundle on first use. */
  createApi(target: SonarTarget, token: string, serverVersion?: string): TokenApi {
    return this.client(target, token, serverVersion);
  }

  /** Checks a found token: one request each, no retries (no second chance for a server to see it). */
  createChecker(target: SonarTarget, token: string, serverVersion?: string): TokenChecker {
    return this.client(target, token, serverVersion, { maxRetries: 0 });
  }

  private client(target: SonarTarget, token: string, serverVersion?: string, retry?: { maxRetries: number }): InstanceType<typeof SonarModule.SonarClient> {
    this.knownSecrets.remember(token);
    const sonar = loadSonar();
    const settings = (this.httpSettings ??= readHttpSettings());
    this.pool ??= new sonar.DispatcherPool();
    const dispatcher = this.pool.get(sonar.targetOrigin(target), {
      proxyUrl: settings.proxyUrl,
      strictSSL: settings.strictSSL,
      ca: settings.ca,
      connectTimeoutMs: settings.timeoutMs,
    });
    return new sonar.SonarClient({ target, token, dispatcher, timeoutMs: settings.timeoutMs, logger: this.logger, serverVersion, retry });
  }

  /** The client a connection signs in with; a missing sign-in secret reads as a refused sign-in. */
  async apiFor(connectionId: string): Promise<TokenApi> {
    const cached = this.clients.get(connectionId);
    if (cached) return cached;
    const connection = this.requireConnection(connectionId);
    const token = await this.vault.readSignIn(connectionId);
    if (token === undefined) {
      throw new SonarApiError('unauthorized', `No sign-in token for ${connection.label} on this computer.`);
    }
    const client = this.createApi(connection.target, token, connection.serverVersion);
    this.clients.set(connectionId, client);
    return client;
  }

  requireConnection(connectionId: string): ConnectionRecord {
    const connection = this.connections.get(connectionId);
    if (!connection) throw new WordedError(t('The connection no longer exists. Refresh the Tokens view.'));
    return connection;
  }

  /** Forget cached clients: after a sign-in change, or when proxy or certificate settings change. */
  /** A sign-in may have changed: drop the cached clients of these connections, then redraw them from the server. */
  async reload(connectionIds: readonly string[]): Promise<void> {
    for (const connectionId of connectionIds) this.resetClients(connectionId);
    await this.model.refresh(connectionIds);
  }

  resetClients(connectionId?: string): void {
    if (connectionId) {
      this.clients.delete(connectionId);
      return;
    }
    this.clients.clear();
    this.httpSettings = undefined;
  }

  flowDeps(): FlowDeps {
    return { prompter: this.prompter, vault: this.vault, clock: systemClock, t, logger: this.logger, journal: this.journal };
  }

  copyDeps(): CopyTokenDeps {
    const clearSeconds = readSetting(Settings.clipboardClearSeconds);
    return { ...this.flowDeps(), clipboard: { clipboard: systemClipboard, clearSeconds, pending: this.pendingClears } };
  }

  /** On deactivation: the clear timers die with the extension host, so a token still on the clipboard goes now. */
  clearPendingClipboard(): Promise<void> {
    return this.pendingClears.clearNow(systemClipboard, this.logger);
  }

  machineName(): string {
    return os.hostname();
  }

  dispose(): void {
    void this.pool?.close();
  }
}
