import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MCP_TARGETS } from '../core/mcp/targets';
import type { TokenRef } from '../core/secrets/keys';
import type { BindingRecord, BindingStore } from '../core/tokens/bindingStore';
import type { BindingView } from '../core/tokens/treeNodes';
import { t } from './l10n';
import { PRODUCT } from '../core/productNames';

export function displayPath(file: string): string {
  const home = os.homedir();
  return file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : vscode.workspace.asRelativePath(file);
}

/** How a binding reads under its token in the tree and in the revoke confirmation. */
export function describeBinding(binding: BindingRecord): BindingView {
  if (binding.kind === 'connectedMode') {
    const folders = binding.folders.map((folder) => path.basename(vscode.Uri.parse(folder).fsPath)).join(', ');
    return {
      id: binding.id,
      token: binding.token,
      label: PRODUCT.sonarQubeForIde,
      description: t('{0} → {1}', folders, binding.projectKey),
      tooltip: t('Connected mode: connection "{0}" in User settings; folders {1} bound to project {2}.', binding.sonarlintConnectionId, folders, binding.projectKey),
    };
  }
  const target = MCP_TARGETS.find((candidate) => candidate.id === binding.target);
  const where = target?.secret === 'provider' ? binding.label : binding.path && displayPath(binding.path);
  return {
    id: binding.id,
    token: binding.token,
    label: t('MCP: {0}', target?.client(t) ?? binding.target),
    description: binding.plainText ? t('{0} · plain text', where ?? '') : where,
    tooltip: binding.plainText
      ? t('The token value is written in plain text in {0} (kept at mode 0600).', binding.path ?? '')
      : target?.secret === 'provider'
        ? t('{0} starts "{1}" with the token from secure storage in its environment.', target.client(t), binding.label ?? '')
        : binding.launcher
          ? t('{0} runs the launcher, which reads the token from the operating system\'s credential store at each start.', binding.path ?? '')
          : t('{0} references the token without containing it.', binding.path ?? ''),
    plainText: binding.plainText,
  };
}

export function bindingViewsOf(store: BindingStore, ref: TokenRef): BindingView[] {
  return store.forToken(ref).map(describeBinding);
}
