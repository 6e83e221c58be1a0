// Notification toasts and, when VS Code drops a toast of a burst, the notification center.
import type { Locator, Page } from 'playwright-core';
import { UI_TIMEOUT_MS } from './shared';

export class Notifications {
  constructor(private readonly page: Page) {}

  /** Waits for a notification whose text matches and returns its text. */
  async waitFor(text: RegExp): Promise<string> {
    const toast = this.toast(text);
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

  async clickButton(text: RegExp, label: string): Promise<void> {
    await this.toast(text).getByRole('button', { name: label, exact: true }).click();
  }

  private toast(text: RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-list-item').filter({ hasText: text }).first();
  }
}
