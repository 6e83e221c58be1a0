// The translator tests give the code: the English text, as `englishMessage` makes it, but only for a message VS Code
// would find a translation for. VS Code looks a translation up by the message and, when the call passes one, its
// note for translators (`message/comment`), so a note that is changed or dropped loses every translation of that
// message as surely as a changed message does; this translator refuses both, so a test notices.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { englishMessage } from '../../../src/core/ports';
import type { CommentedMessage, Translate } from '../../../src/core/ports';

/** `npm run compile` writes it from the sources (scripts/l10n/bundle.cjs). */
const BUNDLE = path.resolve(__dirname, '../../../../l10n/bundle.l10n.json');

let keys: ReadonlySet<string> | undefined;

function bundleKeys(): ReadonlySet<string> {
  keys ??= new Set(Object.keys(JSON.parse(fs.readFileSync(BUNDLE, 'utf8')) as Record<string, unknown>));
  return keys;
}

/** The key VS Code's `l10n.t` looks the translation up by. */
export function translationKey(message: string | CommentedMessage): string {
  if (typeof message === 'string') return message;
  const comment = typeof message.comment === 'string' ? message.comment : message.comment.join('');
  return comment.length > 0 ? `${message.message}/${comment}` : message.message;
}

export const bundleTranslator: Translate = (message, ...args) => {
  const key = translationKey(message);
  if (!bundleKeys().has(key)) throw new Error(`t(): no translation could be found for ${JSON.stringify(key)}: it is not in l10n/bundle.l10n.json`);
  return englishMessage(message, ...args);
};
