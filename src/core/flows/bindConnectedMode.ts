// Binding a token to SonarQube for IDE (connected mode): its connection in User settings (no token), the chosen
// folders bound to a project, optionally a shared `.sonarlint/connectedMode.json`, then the record, then the
// hand-off of the value for one paste. Every write is journaled; the record goes last, so a bind the host was killed
// in is taken back whole at the next start.
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { ClipboardDeps } from './deps';
import { copyWithAutoClear } from '../clipboard/autoClear';
import type { ConnectionRecord } from '../connections/connectionStore';
import { writeFileAtomic } from '../config/atomicWrite';
import { confirmWorkspaceFile } from '../config/confinement';
import type { FileSystem } from '../config/fileSystem';
import { readConfigFile } from '../config/jsoncFile';
import { planConnectedModeConnection, projectBindingValue, removeConnectedModeConnection, sharedConnectedModeJson } from '../connectedMode/sonarlint';
import type { ConnectionSection, SonarlintConnections } from '../connectedMode/sonarlint';
import type { OperationJournal } from '../journal/journal';
import type { Logger, Translate } from '../ports';
import type { TokenRef } from '../secrets/keys';
import type { SonarTarget, TokenApi } from '../sonar/types';
import type { BindingStore, ConnectedModeBinding } from '../tokens/bindingStore';
import { requireValue } from './bindMcp';
import { errorSummary } from './describeError';
import type { Prompter } from './prompter';
import { PRODUCT } from '../productNames';

const SHARED_FILE = path.join('.sonarlint', 'connectedMode.json');

/** A folder's `sonarlint.connectedMode.project` value. */
export interface ProjectBinding {
  readonly connectionId?: string;
  readonly projectKey?: string;
}

/** SonarQube for IDE's settings as the host reads and writes them: User-settings connections, folder bindings. */
export interface SonarlintSettings {
  /** The User-settings (global) values of both connection lists. */
  userConnections(): SonarlintConnections;
  /** Writes one User-settings connection list; undefined removes the setting. */
  writeUserConnections(section: ConnectionSection, value: readonly unknown[] | undefined): Promise<void>;
  /** The folder's own value (not inherited). */
  folderProject(folderUri: string): ProjectBinding | undefined;
  writeFolderProject(folderUri: string, value: ProjectBinding | undefined): Promise<void>;
}

/** A workspace folder; `path` only when it is on disk (a virtual folder gets its settings binding only). */
export interface ConnectedModeFolder {
  readonly name: string;
  readonly uri: string;
  readonly path?: string;
}

/** What unbind (and the undo of a bind) needs to take back exactly what a binding wrote. */
export interface ConnectedModeEffectsDeps {
  readonly settings: SonarlintSettings;
  readonly fs: FileSystem;
  readonly store: BindingStore;
  /** The server or organization of a connection, for the shared file's text; undefined when it is gone. */
  targetOf(connectionId: string): SonarTarget | undefined;
}

export interface HandOffDeps {
  readonly prompter: Prompter;
  readonly t: Translate;
  readonly logger: Logger;
  readonly clipboard: ClipboardDeps;
  /** The token's value from the editor's secure storage. */
  readValue(ref: TokenRef): Promise<string | undefined>;
  /** Runs SonarQube for IDE's command that opens the connection's form. */
  openConnectionForm(section: ConnectionSection, sonarlintConnectionId: string | undefined): Promise<void>;
}

export interface BindConnectedModeDeps extends ConnectedModeEffectsDeps, HandOffDeps {
  readonly sonarlintInstalled: boolean;
  /** Shows SonarQube for IDE in the Extensions view. */
  showSonarlintExtension(): Promise<void>;
  readonly folders: readonly ConnectedModeFolder[];
  readonly apiFor: (connectionId: string) => Promise<Pick<TokenApi, 'scannableProjects'>>;
  readonly journal?: OperationJournal;
  /** `~/…` or workspace-relative, for messages. */
  displayPath(file: string): string;
}

/** What the person chose: the folders, the project and whether to share the binding with the team. */
export interface ConnectedModeChoices {
  readonly folders: readonly ConnectedModeFolder[];
  readonly projectKey: string;
  readonly share: boolean;
}

/** Asks for folders, project and sharing, writes the binding, then hands the value over. Undefined when cancelled. */
export async function bindConnectedModeFlow(deps: BindConnectedModeDeps, connection: ConnectionRecord, ref: TokenRef): Promise<ConnectedModeBinding | undefined> {
  const choices = await askConnectedMode(deps, connection, ref);
  if (!choices) return undefined;
  const binding = await writeConnectedModeBinding(deps, connection, ref, choices);
  deps.logger.info(`[bind] ${ref.name} bound to SonarQube for IDE connection ${binding.sonarlintConnectionId}, project ${binding.projectKey}`);
  await handOffToSonarlint(deps, binding.section, binding.sonarlintConnectionId, ref);
  return binding;
}

async function askConnectedMode(deps: BindConnectedModeDeps, connection: ConnectionRecord, ref: TokenRef): Promise<ConnectedModeChoices | undefined> {
  const { t, prompter, folders } = deps;
  if (!deps.sonarlintInstalled) {
    const show = t('Show Extension');
    if ((await prompter.warn(t({ message: '{0} is not installed. Install it, then bind the token again.', comment: ['{0} is a product name, SonarQube for IDE.'] }, PRODUCT.sonarQubeForIde), show)) === show) await deps.showSonarlintExtension();
    return undefined;
  }
  if (folders.length === 0) {
    void prompter.error(t({ message: 'Open the folder of your project first: connected mode binds workspace folders to a {0} project.', comment: ['{0} is a product name, SonarQube.'] }, PRODUCT.sonarQube));
    return undefined;
  }
  const title = t({ message: 'Bind {0} to {1}', comment: ['{0} is the token name; {1} a product name, SonarQube for IDE.'] }, ref.name, PRODUCT.sonarQubeForIde);
  const chosen =
    folders.length === 1
      ? [folders[0]]
      : await prompter.pickMany(
          folders.map((folder) => ({ label: folder.name, description: folder.path ?? folder.uri, value: folder, picked: true })),
          { title, step: 1, totalSteps: 3, placeholder: t('Which folders belong to the project?') },
        );
  if (!chosen || chosen.length === 0) return undefined;
  const api = await deps.apiFor(connection.id);
  const projectKey = await prompter.searchPick({
    title,
    step: 2,
    totalSteps: 3,
    placeholder: t('Project on {0}', connection.label),
    search: async (query, signal) => (await api.scannableProjects(query, { signal })).map((project) => ({ label: project.name, description: project.key, value: project.key })),
  });
  if (projectKey === undefined) return undefined;
  const share = await prompter.pick(
    [
      { label: t('Share with the team'), detail: t('Also write .sonarlint/connectedMode.json (no secret in it) so teammates are offered the same binding.'), value: true },
      { label: t('Only for me'), value: false },
    ],
    { title, step: 3, totalSteps: 3 },
  );
  if (share === undefined) return undefined;
  return { folders: chosen, projectKey, share };
}

/**
 * The writes, each announced in the journal before it is made: the User-settings connection, the folder bindings,
 * each shared file this bind creates, then the record. A failure takes back what was written.
 */
export async function writeConnectedModeBinding(deps: BindConnectedModeDeps, connection: ConnectionRecord, ref: TokenRef, choices: ConnectedModeChoices): Promise<ConnectedModeBinding> {
  const plan = planConnectedModeConnection(deps.settings.userConnections(), connection.target);
  let draft: ConnectedModeBinding = {
    id: randomUUID(),
    kind: 'connectedMode',
    token: ref,
    section: plan.section,
    sonarlintConnectionId: plan.connectionId,
    addedConnection: !plan.reused,
    folders: choices.folders.map((folder) => folder.uri),
    projectKey: choices.projectKey,
    sharedFiles: [],
    createdAt: new Date().toISOString(),
  };
  const entry = await deps.journal?.begin({ op: 'bind', step: 'writing', binding: draft });
  try {
    if (plan.writeConnections) await deps.settings.writeUserConnections(plan.section, plan.next[plan.section]);
    for (const folder of choices.folders) await deps.settings.writeFolderProject(folder.uri, projectBindingValue(plan.connectionId, choices.projectKey));
    if (choices.share) {
      const text = sharedConnectedModeJson(connection.target, choices.projectKey);
      for (const folder of choices.folders) {
        const file = await sharedFileToWrite(deps, folder, text);
        if (!file) continue;
        if (file.creates) {
          draft = { ...draft, sharedFiles: [...draft.sharedFiles, file.path] };
          await entry?.advance({ binding: draft });
        }
        await deps.fs.mkdir(path.dirname(file.path));
        await writeFileAtomic(deps.fs, file.path, text);
      }
    }
    const { id, createdAt: _draftedAt, ...record } = draft;
    const binding = (await deps.store.add(record, id)) as ConnectedModeBinding;
    await entry?.end();
    return binding;
  } catch (error) {
    try {
      await removeConnectedModeEffects(deps, draft);
      await entry?.end();
    } catch (undoError) {
      // The entry stays: the next start takes back the rest.
      deps.logger.warn(`[bind] could not take back the connected-mode bind of ${ref.name}: ${errorSummary(undoError)}`);
    }
    throw error;
  }
}

/** The shared file to write in `folder`, and whether it is new; undefined when it is there already or declined. */
async function sharedFileToWrite(deps: BindConnectedModeDeps, folder: ConnectedModeFolder, text: string): Promise<{ path: string; creates: boolean } | undefined> {
  const { t, prompter } = deps;
  if (folder.path === undefined) return undefined;
  const file = path.join(folder.path, SHARED_FILE);
  if (!(await confirmWorkspaceFile(deps, folder.path, file))) return undefined;
  const existing = (await readConfigFile(deps.fs, file))?.toString('utf8');
  if (existing === text) return undefined;
  if (existing !== undefined) {
    const replace = t('Replace');
    if ((await prompter.warn(t('{0} already describes another binding.', deps.displayPath(file)), replace)) !== replace) return undefined;
  }
  return { path: file, creates: existing === undefined };
}

/**
 * Takes back what the binding wrote, whether or not its record was stored (an undone bind): each folder binding
 * still pointing at its project, each shared file it created still as written, and the connection it added unless
 * another binding uses it. The record itself is the caller's.
 */
export async function removeConnectedModeEffects(deps: ConnectedModeEffectsDeps, binding: ConnectedModeBinding): Promise<void> {
  const { settings } = deps;
  for (const folder of binding.folders) {
    const current = settings.folderProject(folder);
    if (current?.connectionId === binding.sonarlintConnectionId && current.projectKey === binding.projectKey) await settings.writeFolderProject(folder, undefined);
  }
  const target = deps.targetOf(binding.token.connectionId);
  for (const file of binding.sharedFiles) {
    const text = (await deps.fs.readFile(file))?.toString('utf8');
    if (target && text === sharedConnectedModeJson(target, binding.projectKey)) await deps.fs.unlink(file);
  }
  const stillUsed = deps.store.list().some((other) => other.id !== binding.id && other.kind === 'connectedMode' && other.sonarlintConnectionId === binding.sonarlintConnectionId);
  if (!binding.addedConnection || stillUsed) return;
  const existing = settings.userConnections();
  const next = removeConnectedModeConnection(existing, binding.section, binding.sonarlintConnectionId)[binding.section];
  if (next.length === existing[binding.section].length) return;
  await settings.writeUserConnections(binding.section, next.length > 0 ? next : undefined);
}

/**
 * SonarQube for IDE keeps its token in its own secure storage, which no other extension can write: the value goes
 * to the clipboard (cleared again) and its connection form opens for one paste.
 */
export async function handOffToSonarlint(deps: HandOffDeps, section: ConnectionSection, sonarlintConnectionId: string | undefined, ref: TokenRef): Promise<void> {
  const { t, clipboard } = deps;
  const value = await requireValue(deps, ref);
  await copyWithAutoClear(clipboard.clipboard, value, clipboard.clearSeconds, { logger: deps.logger, pending: clipboard.pending, timers: clipboard.timers });
  await deps.openConnectionForm(section, sonarlintConnectionId);
  void deps.prompter.info(
    clipboard.clearSeconds > 0
      ? t(
          {
            message: 'Token {0} is on the clipboard for {1} seconds: paste it into the Token field of the {2} form that just opened, then save.',
            comment: ['{0} is the token name; {1} a number of seconds; {2} a product name, SonarQube for IDE.'],
          },
          ref.name,
          clipboard.clearSeconds,
          PRODUCT.sonarQubeForIde,
        )
      : t(
          {
            message: 'Token {0} is on the clipboard: paste it into the Token field of the {1} form that just opened, then save.',
            comment: ['{0} is the token name; {1} a product name, SonarQube for IDE.'],
          },
          ref.name,
          PRODUCT.sonarQubeForIde,
        ),
  );
}
