// What the person can do about a finding: check it on a server they confirm, move it to secure storage, revoke it
// and take it out of the file, replace it, or ignore it. Each action says exactly what it changes before it does it;
// the value is read from the file when needed and is never logged, shown or stored outside secure storage.
import { parse } from 'jsonc-parser';
import type { ConnectionRecord } from '../connections/connectionStore';
import type { FileSystem } from '../config/fileSystem';
import type { FlowDeps } from '../flows/deps';
import { writeMcpBinding } from '../flows/bindMcp';
import type { McpBindingWriteDeps } from '../flows/bindMcp';
import { describeError, describeSonarError, errorSummary, isCancellation } from '../flows/describeError';
import { redactSecrets } from '../logging/redact';
import { forgetRevokedValues, revokeTokenFlow } from '../flows/revokeToken';
import { replacementName } from '../flows/rotateToken';
import { mcpTarget } from '../mcp/targets';
import type { McpClientRow } from '../mcp/targets';
import type { TokenRef } from '../secrets/keys';
import type { SonarTarget, TokenApi, UserToken } from '../sonar/types';
import { tokenTypeLabel } from '../policy/tokenState';
import type { ExposureModel } from './exposureModel';
import { applyFileFix, describeFileFix, planRemoval } from './fileFixes';
import type { FileFix } from './fileFixes';
import type { IgnoreList } from './ignoreList';
import type { Liveness } from './liveness';
import { sonarlintSettingSection } from './findingNodes';
import { locateFinding, mcpServerNameOf } from './scan';
import type { Finding, LocatedValue, ScanFiles } from './scan';
import { PRODUCT } from '../productNames';

export interface ExposureFlowDeps extends FlowDeps {
  readonly model: ExposureModel;
  readonly files: ScanFiles;
  readonly fs: FileSystem;
  readonly ignoreList: IgnoreList;
  connection(id: string): ConnectionRecord | undefined;
  /** The client a connection signs in with. */
  apiFor(connectionId: string): Promise<TokenApi>;
  /** A client that signs in with the found value: its owner's token list, and revoking itself. */
  apiWithValue(target: SonarTarget, value: string, serverVersion?: string): TokenApi;
  displayPath(file: string): string;
  /** Writes a moved MCP entry as a launcher binding, the way binding from the Tokens view does. */
  readonly mcpBindings: McpBindingWriteDeps;
  /**
   * Where a moved MCP entry cannot be a launcher binding (VS Code's user `mcp.json`, no credential store): VS Code's
   * built-in MCP provider starts it from secure storage.
   */
  bindProvider(connection: ConnectionRecord, ref: TokenRef): Promise<void>;
  /** SonarQube for IDE keeps its own secret: its connection form is opened for one paste (clipboard, cleared). */
  handOffToSonarlint(ref: TokenRef, section: 'sonarqube' | 'sonarcloud', sonarlintConnectionId: string | undefined): Promise<void>;
  /** After a revoke on one of the person's connections (Revoke, Replace): what was bound to that token goes, as after the Tokens view's revoke. */
  removeBindings(ref: TokenRef): Promise<void>;
  openFile(file: string, line: number): Promise<void>;
}

type Alive = Extract<Liveness, { state: 'alive' }>;

async function locate(deps: ExposureFlowDeps, finding: Finding): Promise<LocatedValue | undefined> {
  const located = await locateFinding(deps.files, finding);
  if (!located) {
    void deps.prompter.warn(deps.t('{0} changed since the scan and no longer holds this token. Scan again.', deps.displayPath(finding.place.path)));
    deps.model.drop(finding.id);
  }
  return located;
}

/** A server the file names but the person has no connection to: checked only once they confirm it by name. */
export async function checkOnNamedServer(deps: ExposureFlowDeps, finding: Finding): Promise<Liveness | undefined> {
  const unconfirmed = deps.model.planOf(finding).unconfirmed;
  if (!unconfirmed) return deps.model.check(finding.id);
  const confirmed = await deps.prompter.confirm(deps.t('Send the token found in {0} to {1} to check it?', deps.displayPath(finding.place.path), unconfirmed.host), {
    detail: deps.t(
      {
        message: 'The file names {0}, which is not one of your connections. A file can point at any server, and whoever runs it receives the token: confirm only if you know {0} is your {1}.',
        comment: ['{0} is a server\'s host name; {1} a product name, SonarQube.'],
      },
      unconfirmed.host,
      PRODUCT.sonarQube,
    ),
    confirmLabel: deps.t('Check on {0}', unconfirmed.host),
  });
  return confirmed ? deps.model.check(finding.id, unconfirmed.target) : undefined;
}

/** The liveness a fix needs: known, or checked now (a named server only after confirmation). */
async function aliveOrExplain(deps: ExposureFlowDeps, finding: Finding, action: string): Promise<Alive | 'dead' | undefined> {
  const known = deps.model.livenessOf(finding.id);
  const liveness = known !== undefined && known !== 'checking' && known.state !== 'unknown' ? known : await checkOnNamedServer(deps, finding);
  if (!liveness) return undefined;
  if (liveness.state === 'alive') return liveness;
  if (liveness.state === 'dead') return 'dead';
  void deps.prompter.error(
    liveness.reason === 'unreachable'
      ? deps.t('{0} needs to reach the token\'s server, which did not answer. Try again later.', action)
      : deps.t('{0} needs the token\'s server: add a connection to it with "Add Connection…", then try again.', action),
  );
  return undefined;
}

/** The token's name on the server: the person picks it from its owner's list, the most likely one first and preselected. */
async function pickTokenName(
  deps: ExposureFlowDeps,
  connection: ConnectionRecord,
  alive: Alive,
  finding: Finding,
  value: string,
  signedIn = true,
): Promise<{ name: string; api: TokenApi; tokens: readonly UserToken[] } | undefined> {
  const { t, prompter } = deps;
  const own = alive.login === connection.login;
  // The connection's own sign-in lists its user's tokens (an administrator's, anyone's); otherwise the found token
  // lists its owner's.
  const viaConnection = signedIn && (own || connection.isAdmin === true);
  const api = viaConnection ? await deps.apiFor(connection.id) : deps.apiWithValue(connection.target, value, connection.serverVersion);
  const list = await prompter.withProgress(t('Listing the tokens of {0} on {1}…', alive.login, connection.label), (signal) =>
    api.searchTokens(viaConnection && !own ? alive.login : undefined, { signal }),
  );
  if (list.tokens.length === 0) {
    void prompter.error(t('{0} lists no tokens for {1}.', connection.label, alive.login));
    return undefined;
  }
  const typeMatches = (token: UserToken) => finding.type === 'UNTYPED' || token.type === finding.type;
  const likely = [...list.tokens].sort(
    (a, b) => Number(typeMatches(b)) - Number(typeMatches(a)) || (b.lastConnectionDate ?? '').localeCompare(a.lastConnectionDate ?? '') || b.createdAt.localeCompare(a.createdAt),
  );
  const name = await prompter.pick(
    likely.map((token, index) => ({
      label: token.name,
      description: [tokenTypeLabel(token.type, t), token.lastConnectionDate ? t('last used {0}', token.lastConnectionDate.slice(0, 10)) : t('never used')].join(' · '),
      detail: index === 0 ? t('Most likely: the token that matches {0}', finding.masked) : undefined,
      value: token.name,
      picked: index === 0,
    })),
    { title: t('Which token of {0} is {1}?', alive.login, finding.masked), placeholder: t('The server does not say which name a value has: pick the token found in {0}', deps.displayPath(finding.place.path)) },
  );
  return name === undefined ? undefined : { name, api, tokens: list.tokens };
}

/** Writes the edit, then checks the canary: the value must be gone from the file. */
async function takeOutOfFile(deps: ExposureFlowDeps, finding: Finding, located: LocatedValue, fix: FileFix): Promise<boolean> {
  await applyFileFix(deps.fs, finding, located, fix);
  return checkGoneFromFile(deps, finding, located);
}

/** The canary after any edit of the finding's file: the value must be gone from it. */
async function checkGoneFromFile(deps: ExposureFlowDeps, finding: Finding, located: LocatedValue): Promise<boolean> {
  const after = (await deps.files.read(finding.place.path))?.toString('latin1') ?? '';
  deps.model.drop(finding.id);
  if (after.includes(located.value)) {
    void deps.prompter.warn(deps.t('The same token is also elsewhere in {0}: scan again to see where.', deps.displayPath(finding.place.path)));
    return false;
  }
  return true;
}

async function offerOpenFile(deps: ExposureFlowDeps, finding: Finding, message: string): Promise<void> {
  const open = deps.t('Open File');
  if ((await deps.prompter.warn(message, open)) === open) await deps.openFile(finding.place.path, finding.line);
}

function sonarlintConnectionIdOf(located: LocatedValue, finding: Finding): string | undefined {
  let entry: unknown = parse(located.text.replace(/^\uFEFF/, ''), [], { allowTrailingComma: true });
  for (const part of finding.jsonPath?.slice(0, -1) ?? []) entry = (entry as Record<string | number, unknown> | undefined)?.[part];
  const id = (entry as { connectionId?: unknown } | undefined)?.connectionId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * How the token is bound securely where it was used: the MCP entry rewritten in place as a launcher binding, the
 * server handed to VS Code's own MCP support (no client row, or no credential store), or SonarQube for IDE's form.
 */
type SecureUse =
  | { readonly kind: 'launcher'; readonly row: McpClientRow; readonly serverName: string }
  | { readonly kind: 'provider'; readonly client: string; readonly noCredentialStore?: string }
  | { readonly kind: 'sonarlint'; readonly section: 'sonarqube' | 'sonarcloud' };

async function planSecureUse(deps: ExposureFlowDeps, finding: Finding): Promise<SecureUse | undefined> {
  const sonarlint = sonarlintSettingSection(finding);
  if (sonarlint) return { kind: 'sonarlint', section: sonarlint.section };
  const mcp = finding.place.mcp;
  if (!mcp) return undefined;
  const row = mcp.target ? mcpTarget(mcp.target) : undefined;
  const serverName = mcpServerNameOf(finding);
  if (!row?.file || serverName === undefined) return { kind: 'provider', client: mcp.client };
  const status = await deps.mcpBindings.credentials.probe();
  return status.available ? { kind: 'launcher', row, serverName } : { kind: 'provider', client: mcp.client, noCredentialStore: status.reason };
}

/** What the file edit and the binding change, in words for the confirmation. */
function secureUseWords(deps: ExposureFlowDeps, finding: Finding, fix: FileFix, use: SecureUse | undefined): string[] {
  const { t } = deps;
  const where = deps.displayPath(finding.place.path);
  switch (use?.kind) {
    case 'launcher':
      return [
        t('The MCP server "{0}" in {1} is rewritten to start through this extension\'s launcher, which reads the token from the operating system\'s credential store: the entry keeps no value and no variable, and the rest of the file stays as it is.', use.serverName, where),
      ];
    case 'provider':
      return [
        describeFileFix(fix, finding, where, t),
        ...(use.noCredentialStore ? [t('{0} cannot start it through the launcher: this computer has no credential store it can use. {1}', use.client, use.noCredentialStore)] : []),
        t(
          {
            message: 'The server becomes an MCP server of {1} that starts with the token from secure storage in its environment; {0} no longer lists it.',
            comment: ['{0} is the MCP client that listed the server, e.g. Cursor; {1} a product name, VS Code.'],
          },
          use.client,
          PRODUCT.vsCode,
        ),
      ];
    case 'sonarlint':
      return [describeFileFix(fix, finding, where, t), t(
          {
            message: 'The connection form of {0} then opens so you can paste the token into its own secure storage (the clipboard is cleared again).',
            comment: ['{0} is a product name, SonarQube for IDE.'],
          },
          PRODUCT.sonarQubeForIde,
        ),];
    case undefined:
      return [describeFileFix(fix, finding, where, t)];
  }
}

/** Takes the value out of the file and binds `ref` (already in secure storage) securely where the value was used. */
async function secureWhereItWas(deps: ExposureFlowDeps, finding: Finding, located: LocatedValue, fix: FileFix, connection: ConnectionRecord, ref: TokenRef, use: SecureUse | undefined): Promise<void> {
  if (use?.kind === 'launcher') {
    // The entry's own name is kept: the client's other references to the server stay valid.
    await writeMcpBinding(deps.mcpBindings, { connection, ref, row: use.row, file: finding.place.path, delivery: 'launcher', inPlaceOf: use.serverName });
    await checkGoneFromFile(deps, finding, located);
    return;
  }
  await takeOutOfFile(deps, finding, located, fix);
  if (use?.kind === 'sonarlint') await deps.handOffToSonarlint(ref, use.section, sonarlintConnectionIdOf(located, finding));
  if (use?.kind === 'provider') await deps.bindProvider(connection, ref);
}

/** What the person must still do in the client after its entry was rewritten (approve a project server…). */
function clientStepOf(deps: ExposureFlowDeps, use: SecureUse | undefined): string | undefined {
  return use?.kind === 'launcher' ? use.row.clientStep?.(deps.t, use.serverName) : undefined;
}

/** When the token is already dead there is nothing to protect: offer to take it out of the file. */
async function removeDead(deps: ExposureFlowDeps, finding: Finding): Promise<void> {
  const located = await locate(deps, finding);
  if (!located) return;
  const fix = planRemoval(finding, located);
  const where = deps.displayPath(finding.place.path);
  if (fix.kind === 'manual') {
    await offerOpenFile(deps, finding, deps.t('{0} is no longer accepted by any of your servers. {1}', finding.masked, describeFileFix(fix, finding, where, deps.t)));
    return;
  }
  const confirmed = await deps.prompter.confirm(deps.t('{0} is no longer accepted: remove it from {1}?', finding.masked, where), {
    detail: describeFileFix(fix, finding, where, deps.t),
    confirmLabel: deps.t('Remove from File'),
  });
  if (confirmed && (await takeOutOfFile(deps, finding, located, fix))) void deps.prompter.info(deps.t('The dead token was removed from {0}.', where));
}

/** Move to secure storage: this extension holds the value as one of the connection's tokens, the file loses it. */
export async function moveToSecureStorage(deps: ExposureFlowDeps, finding: Finding): Promise<void> {
  const { t, prompter } = deps;
  const alive = await aliveOrExplain(deps, finding, t('Move to secure storage'));
  if (alive === 'dead') return removeDead(deps, finding);
  if (!alive) return;
  const connection = alive.connectionId ? deps.connection(alive.connectionId) : undefined;
  if (!connection) {
    void prompter.error(t('To keep the token here, add a connection to {0} as {1} with "Add Connection…", then move it.', alive.serverLabel, alive.login));
    return;
  }
  const located = await locate(deps, finding);
  if (!located) return;
  const where = deps.displayPath(finding.place.path);
  const fix = planRemoval(finding, located);
  if (fix.kind === 'manual') return offerOpenFile(deps, finding, describeFileFix(fix, finding, where, t));
  const picked = await pickTokenName(deps, connection, alive, finding, located.value);
  if (!picked) return;
  const ref: TokenRef = { connectionId: connection.id, login: alive.login, name: picked.name };
  const use = await planSecureUse(deps, finding);
  const detail = [
    t('This extension keeps the value in secure storage as token {0} of {1} on {2}.', picked.name, alive.login, connection.label),
    ...secureUseWords(deps, finding, fix, use),
    finding.tracked ? t('The file is tracked by git: the token stays in the repository\'s history. Revoke it instead if it was ever committed.') : undefined,
  ].filter((line): line is string => line !== undefined);
  if (!(await prompter.confirm(t('Move {0} from {1} to secure storage?', finding.masked, where), { detail: detail.join('\n\n'), confirmLabel: t('Move') }))) return;
  // Secure storage first: a failed file edit then leaves the value in both places, never in neither.
  await deps.vault.store(ref, located.value);
  await secureWhereItWas(deps, finding, located, fix, connection, ref, use);
  deps.logger.info(`[exposure] moved a found token (${finding.masked}) from ${finding.place.path} to secure storage as "${picked.name}" (${use?.kind ?? 'file edit'})`);
  const done = t('{0} is now held in secure storage as {1} and is no longer in {2}.', finding.masked, picked.name, where);
  void prompter.info([done, clientStepOf(deps, use)].filter(Boolean).join(' '));
}

/** Revoke on the server (recommended for committed tokens), then take the dead value out of the file. */
export async function revokeFound(deps: ExposureFlowDeps, finding: Finding): Promise<void> {
  const { t } = deps;
  const alive = await aliveOrExplain(deps, finding, t('Revoke'));
  if (alive === 'dead') return removeDead(deps, finding);
  if (!alive) return;
  const located = await locate(deps, finding);
  if (!located) return;
  const known = alive.connectionId ? deps.connection(alive.connectionId) : undefined;
  // A server confirmed for this finding only: the token revokes itself there, as its own user.
  const connection: ConnectionRecord = known ?? { id: '', target: alive.target, label: alive.serverLabel, login: alive.login, addedAt: '' };
  const picked = await pickTokenName(deps, connection, alive, finding, located.value, known !== undefined);
  if (!picked) return;
  const isSignInToken = known ? (await deps.vault.readSignIn(known.id)) === located.value : false;
  const result = await revokeTokenFlow({ ...deps, api: picked.api }, connection, { login: alive.login, name: picked.name }, {
    usedBy: [deps.displayPath(finding.place.path)],
    isSignInToken,
    ...(known ? { cleanUp: (ref: TokenRef) => deps.removeBindings(ref) } : {}),
    reportsSuccess: false,
  });
  if (result.revoked !== true) return;
  const fix = planRemoval(finding, located);
  const where = deps.displayPath(finding.place.path);
  const signedOut = result.signedOut ? t('It was the token this extension signed in with: sign in again to keep using this connection.') : undefined;
  const revoked = (sentence: string) => [sentence, signedOut].filter(Boolean).join(' ');
  if (fix.kind === 'manual') return offerOpenFile(deps, finding, revoked(t('{0} was revoked. {1}', picked.name, describeFileFix(fix, finding, where, t))));
  let gone: boolean;
  try {
    gone = await takeOutOfFile(deps, finding, located, fix);
  } catch (error) {
    void deps.prompter.error(revoked(t('{0} was revoked, but {1} could not be edited: {2}', picked.name, where, describeError(error, t))));
    return;
  }
  void deps.prompter.info(revoked(gone ? t('{0} was revoked and removed from {1}.', picked.name, where) : t('{0} was revoked.', picked.name)));
}

/** Replace: a new token like the old one, bound securely where the old one was used, then the old one revoked. */
export async function replaceFound(deps: ExposureFlowDeps, finding: Finding): Promise<void> {
  const { t, prompter } = deps;
  const use = await planSecureUse(deps, finding);
  if (!use) {
    void prompter.error(t(
        {
          message: 'Replace binds the new token securely where the old one was used: only MCP entries and {0} settings can be bound that way. Revoke this one instead.',
          comment: ['{0} is a product name, SonarQube for IDE.'],
        },
        PRODUCT.sonarQubeForIde,
      ));
    return;
  }
  const alive = await aliveOrExplain(deps, finding, t('Replace'));
  if (alive === 'dead') return removeDead(deps, finding);
  if (!alive) return;
  const connection = alive.connectionId ? deps.connection(alive.connectionId) : undefined;
  if (!connection) {
    void prompter.error(t('To replace the token, add a connection to {0} as {1} with "Add Connection…" first.', alive.serverLabel, alive.login));
    return;
  }
  const located = await locate(deps, finding);
  if (!located) return;
  const fix = planRemoval(finding, located);
  if (fix.kind === 'manual') return offerOpenFile(deps, finding, describeFileFix(fix, finding, deps.displayPath(finding.place.path), t));
  const picked = await pickTokenName(deps, connection, alive, finding, located.value);
  if (!picked) return;
  const old = picked.tokens.find((token) => token.name === picked.name);
  if (old && old.type !== 'USER_TOKEN') {
    void prompter.error(t({ message: '{0} is an analysis token: the MCP server and {1} need a user token. Revoke it instead.', comment: ['{0} is the token name; {1} a product name, SonarQube for IDE.'] }, picked.name, PRODUCT.sonarQubeForIde));
    return;
  }
  const newName = replacementName(picked.name, deps.clock.now(), picked.tokens.map((token) => token.name));
  const where = deps.displayPath(finding.place.path);
  // The pasted value may also be the one this extension signs in with: the new token takes that place too, or
  // revoking the old one would sign the connection out without a word.
  const signsIn = (await deps.vault.readSignIn(connection.id)) === located.value;
  const detail = [
    t('A new token {0} is generated for {1} on {2} and kept in secure storage.', newName, alive.login, connection.label),
    ...secureUseWords(deps, finding, fix, use),
    ...(signsIn ? [t('It is also the token this extension signs in to {0} with: {1} takes that place too.', connection.label, newName)] : []),
    t('Then {0} is revoked.', picked.name),
  ];
  if (!(await prompter.confirm(t('Replace {0} ({1})?', picked.name, finding.masked), { detail: detail.join('\n\n'), confirmLabel: t('Replace') }))) return;
  const expirationDate = old?.expirationDate && !old.isExpired ? old.expirationDate.slice(0, 10) : undefined;
  const generated = await prompter.withProgress(t('Generating {0}…', newName), (signal) =>
    picked.api.generateToken({ name: newName, type: 'USER_TOKEN', expirationDate, ...(alive.login !== connection.login && connection.isAdmin ? { login: alive.login } : {}) }, { signal }),
  );
  const ref: TokenRef = { connectionId: connection.id, login: generated.login, name: generated.name };
  await deps.vault.store(ref, generated.token);
  if (signsIn) await deps.vault.storeSignIn(connection.id, generated.token);
  await secureWhereItWas(deps, finding, located, fix, connection, ref, use);
  try {
    await picked.api.revokeToken({ name: picked.name, ...(alive.login !== connection.login ? { login: alive.login } : {}) });
  } catch (error) {
    deps.logger.warn(`[exposure] revoking the replaced token "${picked.name}" failed: ${errorSummary(error)}`);
    void prompter.warn(t('{0} replaces {1}, but {1} could not be revoked: {2} Revoke it from the Tokens view.', newName, picked.name, describeSonarError(error, connection.label, t)));
    return;
  }
  // As after any revoke: a held copy of the old value and whatever was bound to it elsewhere go.
  const oldRef: TokenRef = { connectionId: connection.id, login: alive.login, name: picked.name };
  await forgetRevokedValues(deps, connection, oldRef, false);
  await deps.removeBindings(oldRef);
  const done = t('{0} replaces {1}, which was revoked; {2} no longer holds a token.', newName, picked.name, where);
  const signIn = signsIn ? t('This extension now signs in to {0} with {1}.', connection.label, newName) : undefined;
  void prompter.info([done, signIn, clientStepOf(deps, use)].filter(Boolean).join(' '));
}

/** Ignore: remembered by the SHA-256 of the value, so the finding stops showing. */
export async function ignoreFinding(deps: ExposureFlowDeps, finding: Finding): Promise<void> {
  await deps.ignoreList.ignore(finding.fingerprint);
  deps.model.drop(finding.id);
  void deps.prompter.info(deps.t('{0} in {1} is ignored from now on. It is still in the file.', finding.masked, deps.displayPath(finding.place.path)));
}


/** "Find Exposed Tokens…": scans now, with progress, and says what came of it. */
export async function findExposedTokens(deps: Pick<ExposureFlowDeps, 'model' | 'prompter' | 't'>, showFindings: () => Promise<void>): Promise<void> {
  const { t, prompter } = deps;
  const result = await prompter.withProgress(t({ message: 'Looking for exposed {0} tokens…', comment: ['{0} is a product name, SonarQube.'] }, PRODUCT.sonarQube), () => deps.model.scan());
  const skipped = result.skipped.length > 0 ? ' ' + t('{0} files were too large to be configuration and were not read.', result.skipped.length) : '';
  if (result.findings.length === 0) {
    void prompter.info(t('No exposed token found in {0} files.', result.filesRead) + skipped);
    return;
  }
  await showFindings();
  const own = result.findings.filter((finding) => finding.ownBindingId !== undefined).length;
  const exposed = result.findings.length - own;
  void prompter.warn(
    (exposed === 1 ? t('1 exposed token found: see Exposed Tokens in the Tokens view.') : t('{0} exposed tokens found: see Exposed Tokens in the Tokens view.', exposed)) +
      (own > 0 ? ' ' + t('{0} more are plain-text fallbacks this extension wrote on purpose.', own) : '') +
      skipped,
  );
}

type FixAction = (deps: ExposureFlowDeps, finding: Finding) => Promise<void>;

/** What Fix All recommends: a committed token is revoked (it stays in the history), any other one moved. */
function recommendedFix(deps: ExposureFlowDeps, finding: Finding): { action: FixAction; words: string } {
  const { t } = deps;
  const liveness = deps.model.livenessOf(finding.id);
  if (liveness !== 'checking' && liveness?.state === 'dead') return { action: moveToSecureStorage, words: t('Remove it from the file: no server accepts it any more') };
  if (finding.tracked) return { action: revokeFound, words: t('Revoke it on the server, then remove it from the file (the file is committed)') };
  return { action: moveToSecureStorage, words: t('Move it to secure storage: this extension keeps it, the file no longer contains it') };
}

/**
 * Fix All: the person picks which findings to fix; each fix then says exactly what it changes and asks, one by one.
 * A fix that fails does not stop the others: the failures are told together at the end, each with its reason.
 */
export async function fixAllFindings(deps: ExposureFlowDeps): Promise<void> {
  const { t, prompter } = deps;
  const exposed = deps.model.findings.filter((finding) => finding.ownBindingId === undefined);
  if (exposed.length === 0) {
    void prompter.info(t('No exposed token is listed. Run "Find Exposed Tokens…" to look again.'));
    return;
  }
  const chosen = await prompter.pickMany(
    exposed.map((finding) => {
      const fix = recommendedFix(deps, finding);
      return { label: `${deps.displayPath(finding.place.path)}:${finding.line}`, description: [finding.key, finding.masked].filter(Boolean).join(' · '), detail: fix.words, value: { finding, fix }, picked: true };
    }),
    { title: t('Fix All Exposed Tokens'), placeholder: t('Which ones? Each fix then shows exactly what it changes and asks first.') },
  );
  const failures: string[] = [];
  for (const { finding, fix } of chosen ?? []) {
    if (!deps.model.finding(finding.id)) continue;
    try {
      await fix.action(deps, finding);
    } catch (error) {
      // A cancelled progress stops that one fix only, as declining its confirmation would.
      if (isCancellation(error)) continue;
      const where = `${deps.displayPath(finding.place.path)}:${finding.line}`;
      deps.logger.warn(`[exposure] Fix All: fixing ${finding.masked} at ${finding.place.path}:${finding.line} failed: ${errorSummary(error)}`);
      // A server's words can quote what was sent.
      failures.push(`• ${where} (${finding.masked}): ${redactSecrets(describeError(error, t))}`);
    }
  }
  if (failures.length > 0) {
    const heading = failures.length === 1 ? t('One fix failed; the others went ahead:') : t('{0} fixes failed; the others went ahead:', failures.length);
    void prompter.error([heading, ...failures].join('\n'));
  }
}
