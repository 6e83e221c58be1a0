import * as vscode from 'vscode';
import type { Translate } from '../core/ports';

/** Every user-visible string of the host layer goes through this (the core receives it as a parameter). */
export const t: Translate = (message, ...args) => vscode.l10n.t(message, ...args);
