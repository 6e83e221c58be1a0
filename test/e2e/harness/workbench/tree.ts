// The side bar's tree (the Tokens view, or the Explorer in the harness's own test) and the activity bar entry that
// opens the extension's view container.
import type { Locator, Page } from 'playwright-core';

export const VIEW_CONTAINER_TITLE = 'SonarQube Tokens';
const VIEW_CONTAINER_ID = 'workbench.view.extension.sonarqubeTokens';

export class Tree {
  constructor(private readonly page: Page) {}

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

  /** The row of the tree in the side bar whose label is `label`; `state` narrows it, e.g. '.focused'. */
  item(label: string | RegExp, state = ''): Locator {
    return this.sidebar().locator(`.monaco-list-row[role="treeitem"]${state}`).filter({
      has: this.page.locator('.label-name', { hasText: label }),
    }).first();
  }

  async expand(label: string | RegExp): Promise<void> {
    const row = this.item(label);
    await row.waitFor();
    if ((await row.getAttribute('aria-expanded')) === 'false') {
      await row.locator('.monaco-tl-twistie').click();
    }
    await this.item(label, '[aria-expanded="true"]').waitFor();
  }

  private sidebar(): Locator {
    return this.page.locator('.part.sidebar');
  }
}
