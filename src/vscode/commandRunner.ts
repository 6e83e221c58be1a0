import * as vscode from 'vscode';
import { isConfigFileError, isFixableInFile, type ConfigFileError } from '../core/config/configFileError';
import type { Logger } from '../core/ports';
import { describeError, errorSummary, isCancellation } from '../core/flows/describeError';
import type { CommandId } from './commandIds';
import { t } from './l10n';

export type CommandHandler = (...args: never[]) => unknown;

/** Where command implementations are registered: the runner itself, or the table of the lazily loaded bundle. */
export interface CommandRegistry {
  register(id: CommandId, handler: CommandHandler): void;
  run(origin: string, task: () => unknown): Promise<void>;
}

/**
 * Registers commands through one door: cancellation is silent; any other failure is logged and shown
 * in words with a "Show Logs" button, so no handler needs its own try/catch.
 */
export class CommandRunner implements CommandRegistry {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly logger: Logger,
    private readonly showLogs: () => void,
    /** Masks token values in the message shown (a server's words can quote what was sent). */
    private readonly redact: (text: string) => string,
  ) {}

  register(id: CommandId, handler: CommandHandler): void {
    this.context.subscriptions.push(
      vscode.commands.registerCommand(id, (...args: unknown[]) => this.run(id, () => (handler as (...a: unknown[]) => unknown)(...args))),
    );
  }

  /** Runs work that is not a command (timers, follow-up actions) with the same error handling. */
  async run(origin: string, task: () => unknown): Promise<void> {
    try {
      await task();
    } catch (error) {
      await this.report(origin, error);
    }
  }

  async report(origin: string, error: unknown): Promise<void> {
    if (isCancellation(error)) return;
    // English in the log, the person's language on screen; both from the one wording of errors in the core.
    this.logger.error(`${origin}: ${errorSummary(error)}: ${describeError(error)}`);
    const message = this.redact(describeError(error, t));
    const showLogs = t('Show Logs');
    // A file that cannot be edited is for the person to fix: offer it, at the place that does not parse.
    const fixable = isConfigFileError(error) && isFixableInFile(error) ? error : undefined;
    const openFile = t('Open File');
    const chosen = await vscode.window.showErrorMessage(message, ...(fixable ? [openFile] : []), showLogs);
    if (chosen === showLogs) this.showLogs();
    else if (fixable && chosen === openFile) await openAtProblem(fixable);
  }
}

async function openAtProblem(error: ConfigFileError): Promise<void> {
  const position = new vscode.Position(Math.max((error.line ?? 1) - 1, 0), Math.max((error.column ?? 1) - 1, 0));
  await vscode.window.showTextDocument(vscode.Uri.file(error.file), { selection: new vscode.Range(position, position) });
}
