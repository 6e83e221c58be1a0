import * as vscode from 'vscode';
import type { Translate } from '../core/ports';

/**
 * Every user-visible string of the host layer goes through this (the core receives it as a parameter). Messages are
 * listed in l10n/bundle.l10n.json by scripts/l10n/bundle.cjs, which skips this file: the call below forwards them.
 */
export const t: Translate = (message, ...args) =>
  typeof message === 'string' ? vscode.l10n.t(message, ...args) : vscode.l10n.t({ message: message.message, args, comment: [message.comment].flat() });
