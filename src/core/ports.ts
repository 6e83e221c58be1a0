// Collaborators the core asks for instead of reaching for globals: the host layer passes real ones, tests fakes.

/** VS Code's SecretStorage, or an in-memory map in tests. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Non-secret persisted state (VS Code's globalState). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Turns an English message with `{0}`-style placeholders into the user's language.
 * The host passes `vscode.l10n.t`; tests and the core's defaults use `englishMessage`.
 */
export type Translate = (message: string | CommentedMessage, ...args: Array<string | number | boolean>) => string;

/** A message with a note for translators, where a placeholder alone does not say what it stands for. */
export interface CommentedMessage {
  readonly message: string;
  readonly comment: string | readonly string[];
}

/** The English text of a message, without its translator note. */
export function messageText(message: string | CommentedMessage): string {
  return typeof message === 'string' ? message : message.message;
}

export const englishMessage: Translate = (message, ...args) => {
  const text = messageText(message);
  return args.length === 0
    ? text
    : text.replace(/\{(\d+)\}/g, (whole, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : whole));
};

/** The system clipboard (VS Code's `env.clipboard`). */
export interface Clipboard {
  readText(): Promise<string>;
  writeText(value: string): Promise<void>;
}
