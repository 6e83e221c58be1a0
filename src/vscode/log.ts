import * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import type { KnownSecrets } from '../core/logging/knownSecrets';
import { createRedactingLogger } from '../core/logging/redact';

/** One LogOutputChannel for the extension; every line passes the redaction safety net first, with the values known. */
export function createExtensionLog(known: KnownSecrets): { readonly logger: Logger; readonly channel: vscode.LogOutputChannel } {
  const channel = vscode.window.createOutputChannel('SonarQube Tokens', { log: true });
  const sink: Logger = {
    debug: (message) => channel.debug(message),
    info: (message) => channel.info(message),
    warn: (message) => channel.warn(message),
    error: (message) => channel.error(message),
  };
  return { logger: createRedactingLogger(sink, () => known.values()), channel };
}
