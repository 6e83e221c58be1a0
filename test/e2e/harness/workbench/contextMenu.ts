// The context menu of a tree item.
import type { Page } from 'playwright-core';
import { UI_TIMEOUT_MS } from './shared';
import type { Tree } from './tree';

export class ContextMenu {
  constructor(private readonly page: Page, private readonly tree: Tree) {}

  /** Right-clicks a tree item and chooses an entry of its context menu. */
  async choose(treeLabel: string | RegExp, menuLabel: string): Promise<void> {
    const menu = this.page.locator('.context-view .monaco-menu');
    const entry = menu.getByRole('menuitem', { name: menuLabel }).first();
    const deadline = Date.now() + UI_TIMEOUT_MS;
    for (;;) {
      // On the label: the middle of a hovered row may be one of its inline actions, which has no context menu.
      await this.tree.item(treeLabel).locator('.label-name').first().click({ button: 'right' });
      try {
        await entry.waitFor({ timeout: 3000 });
        // Rows are recycled when the tree redraws: a click can land on another item's row. Then try again.
        if ((await this.tree.item(treeLabel, '.focused').count()) === 0) throw new Error(`the context menu opened on another row than ${String(treeLabel)}`);
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
}
