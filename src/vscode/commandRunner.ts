import * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import { isSonarApiError } from '../core/sonar/errors';
import type { CommandId } from './commandIds';

export type DescribeError = (error: unknown) => string;

function isCancellation(error: unknown): boolean {
  return (
    error instanceof vscode.CancellationError ||
    (isSonarApiError(error) && error.kind === 'cancelled') ||
    (error instanceof Error && error.name === 'AbortError')
  );
}

/**
 * Registers commands through one door: cancellation is silent; any other failure is logged and shown
 * in words with a "Show Logs" button, so no handler needs its own try/catch.
 */
export class CommandRunner {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly logger: Logger,
    private readonly describe: DescribeError,
    private readonly showLogs: () => void,
  ) {}

  register(id: CommandId, handler: (...args: never[]) => unknown): void {
    this.context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await (handler as (...a: unknown[]) => unknown)(...args);
        } catch (error) {
          await this.report(id, error);
          return undefined;
        }
      }),
    );
  }

  async report(origin: string, error: unknown): Promise<void> {
    if (isCancellation(error)) return;
    const message = this.describe(error);
    this.logger.error(`${origin}: ${message}`);
    const showLogs = vscode.l10n.t('Show Logs');
    if ((await vscode.window.showErrorMessage(message, showLogs)) === showLogs) this.showLogs();
  }
}
