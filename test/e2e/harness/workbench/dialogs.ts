// VS Code's modal dialog (showWarningMessage/showInformationMessage with `modal: true`).
import type { Page } from 'playwright-core';

export class Dialogs {
  constructor(private readonly page: Page) {}

  /** Clicks a button of the modal dialog and returns the dialog's message. */
  async clickButton(label: string): Promise<string> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    const message = (await dialog.locator('.dialog-message-text, .dialog-message-detail').allInnerTexts()).join('\n');
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: label }).first().click();
    return message;
  }
}
