import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { nodeFileSystem } from '../core/config/fileSystem';
import { findExposedTokens, fixAllFindings, ignoreFinding, moveToSecureStorage, replaceFound, revokeFound, checkOnNamedServer } from '../core/exposure/exposureFlows';
import type { ExposureFlowDeps } from '../core/exposure/exposureFlows';
import { ExposureModel } from '../core/exposure/exposureModel';
import { createGitProbe } from '../core/exposure/gitTracked';
import { IgnoreList } from '../core/exposure/ignoreList';
import { excludeGlob, knownPlaces, vscodeUserDirOf } from '../core/exposure/places';
import { nodeScanFiles, scanPlaces } from '../core/exposure/scan';
import type { Finding } from '../core/exposure/scan';
import type { TokenRef } from '../core/secrets/keys';
import type { BindingStore } from '../core/tokens/bindingStore';
import type { TreeNode } from '../core/tokens/treeNodes';
import type { BindingManager } from './bindingManager';
import { displayPath } from './bindingViews';
import { CommandId } from './commandIds';
import type { CommandRegistry } from './commandRunner';
import type { Services } from './services';

const TOKENS_VIEW_FOCUS = 'sonarqubeTokens.tokens.focus';

export interface ExposureCommands {
  readonly model: ExposureModel;
  /** The scan of the known places when the Tokens view is first shown: silent, the section shows what it found. */
  scanAtStartup(): Promise<void>;
}

/** The editor's file search in one folder, with the person's `files.exclude` and `search.exclude`. */
async function findWorkspaceFiles(folder: string, glob: string, maxResults: number): Promise<readonly string[]> {
  const exclude = excludeGlob(vscode.workspace.getConfiguration('files').get('exclude'), vscode.workspace.getConfiguration('search').get('exclude'));
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(vscode.Uri.file(folder), glob), exclude, maxResults);
  return found.map((uri) => uri.fsPath);
}

/** "Find Exposed Tokens…", the startup scan and each finding's fixes; every decision is in the core's exposure flows. */
export function registerExposureCommands(
  runner: CommandRegistry,
  services: Services,
  store: BindingStore,
  manager: BindingManager,
  storagePath: string,
  afterRevoke: (ref: TokenRef) => Promise<void>,
): ExposureCommands {
  const ignoreList = new IgnoreList(services.state);
  const git = createGitProbe();
  const model = new ExposureModel({
    scan: async () => {
      const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
      const user = { platform: process.platform, home: os.homedir(), env: process.env, exists: fs.existsSync, vscodeUserDir: vscodeUserDirOf(storagePath) };
      const places = await knownPlaces(user, folders, findWorkspaceFiles);
      const ownPlainText = store.list().flatMap((binding) =>
        binding.kind === 'mcp' && binding.plainText && binding.path && binding.serverName ? [{ bindingId: binding.id, path: binding.path, serverName: binding.serverName }] : [],
      );
      return scanPlaces({ files: nodeScanFiles, git, ignored: ignoreList.fingerprints(), ownPlainText }, places);
    },
    files: nodeScanFiles,
    liveness: () => ({
      connections: services.connections.list(),
      checkerFor: (target, token, serverVersion) => services.createChecker(target, token, serverVersion),
      logger: services.logger,
    }),
    logger: services.logger,
  });

  const deps = (): ExposureFlowDeps => ({
    ...services.flowDeps(),
    model,
    files: nodeScanFiles,
    fs: nodeFileSystem,
    ignoreList,
    connection: (id) => services.connections.get(id),
    apiFor: (id) => services.apiFor(id),
    apiWithValue: (target, value, serverVersion) => services.createApi(target, value, serverVersion),
    displayPath,
    mcpBindings: manager.mcpWriteDeps(),
    bindProvider: (connection, ref) => manager.bindEditorProvider(connection, ref),
    handOffToSonarlint: (ref, section, sonarlintConnectionId) => manager.handOffTo(section, sonarlintConnectionId, ref),
    removeBindings: afterRevoke,
    openFile: async (file, line) => {
      const position = new vscode.Position(Math.max(line - 1, 0), 0);
      await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(position, position) });
    },
  });

  const findingOf = (node: TreeNode | undefined): Finding | undefined => (node?.kind === 'finding' ? model.finding(node.findingId) : undefined);

  /** Runs a fix, then redraws the token list of the connection it was checked on (a moved token is now held and bound). */
  const fix = (action: (deps: ExposureFlowDeps, finding: Finding) => Promise<unknown>) => async (node?: TreeNode) => {
    const finding = findingOf(node);
    if (!finding) return;
    const checked = model.livenessOf(finding.id);
    await action(deps(), finding);
    const after = model.livenessOf(finding.id) ?? checked;
    const connectionId = after !== undefined && after !== 'checking' && after.state === 'alive' ? after.connectionId : undefined;
    // A Replace of the token this extension signs in with changed the sign-in too.
    if (connectionId && services.connections.get(connectionId)) await services.reload([connectionId]);
  };

  runner.register(CommandId.findExposedTokens, () => findExposedTokens(deps(), async () => void (await vscode.commands.executeCommand(TOKENS_VIEW_FOCUS))));
  runner.register(CommandId.moveExposedToken, fix(moveToSecureStorage));
  runner.register(CommandId.revokeExposedToken, fix(revokeFound));
  runner.register(CommandId.replaceExposedToken, fix(replaceFound));
  runner.register(CommandId.ignoreExposedToken, async (node?: TreeNode) => {
    const finding = findingOf(node);
    if (finding) await ignoreFinding(deps(), finding);
  });
  runner.register(CommandId.checkExposedToken, fix(checkOnNamedServer));
  runner.register(CommandId.fixAllExposedTokens, async () => {
    await fixAllFindings(deps());
    await services.model.refresh(services.connections.list().map((connection) => connection.id));
  });

  return { model, scanAtStartup: async () => void (await model.scan()) };
}
