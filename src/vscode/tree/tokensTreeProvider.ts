import * as vscode from 'vscode';
import type { ModelChange, TokensModel } from '../../core/tokens/tokensModel';
import { childrenOf, nodeIds, presentNode } from '../../core/tokens/treeNodes';
import type { TreeContext, TreeNode } from '../../core/tokens/treeNodes';

const COLLAPSIBLE = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
} as const;

/**
 * Draws the core's tree. Children start the loads they need (no messages from here: failures become nodes);
 * a model change refreshes only the node it concerns.
 */
export class TokensTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<TreeNode | undefined>();
  /** The node objects last handed to VS Code, by id: refresh events must carry the same instances. */
  private readonly nodes = new Map<string, TreeNode>();
  private readonly subscription: { dispose(): void };

  readonly onDidChangeTreeData = this.changes.event;

  constructor(
    private readonly model: TokensModel,
    private readonly context: () => TreeContext,
  ) {
    this.subscription = model.onDidChange((change) => this.changes.fire(this.nodeFor(change)));
  }

  /** Redraws everything (connections added or removed, bindings changed, settings changed). */
  refreshAll(): void {
    this.changes.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const presentation = presentNode(node, this.context());
    const item = new vscode.TreeItem(presentation.label, COLLAPSIBLE[presentation.collapsible]);
    item.id = node.id;
    item.description = presentation.description;
    if (presentation.icon) {
      item.iconPath = new vscode.ThemeIcon(presentation.icon.id, presentation.icon.color ? new vscode.ThemeColor(presentation.icon.color) : undefined);
    }
    item.contextValue = presentation.contextValue;
    item.accessibilityInformation = { label: presentation.accessibilityLabel };
    if (presentation.command) {
      item.command = { command: presentation.command.id, title: presentation.command.title, arguments: presentation.command.arguments as unknown[] };
    }
    return item;
  }

  /** Tooltips are built on hover only. */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    const text = presentNode(node, this.context()).tooltip?.();
    if (text) {
      const tooltip = new vscode.MarkdownString(text, true);
      tooltip.isTrusted = false;
      item.tooltip = tooltip;
    }
    return item;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    this.startLoads(node);
    const children = childrenOf(node, this.context());
    for (const child of children) this.nodes.set(child.id, child);
    return children;
  }

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changes.dispose();
  }

  private startLoads(node: TreeNode | undefined): void {
    if (!node) return;
    if (node.kind === 'connection' && this.model.tokenList(node.connection.id).status === 'idle') void this.model.loadTokens(node.connection.id);
    if (node.kind === 'users' && this.model.usersOf(node.connectionId).status === 'idle') void this.model.loadUsers(node.connectionId);
    if (node.kind === 'user' && this.model.tokensOfUser(node.connectionId, node.user.login).status === 'idle') {
      void this.model.loadUserTokens(node.connectionId, node.user.login);
    }
  }

  private nodeFor(change: ModelChange): TreeNode | undefined {
    if (!change.connectionId) return undefined;
    const id =
      change.part === 'users'
        ? nodeIds.users(change.connectionId)
        : change.part === 'userTokens'
          ? nodeIds.user(change.connectionId, change.login ?? '')
          : nodeIds.connection(change.connectionId);
    return this.nodes.get(id);
  }
}
