// Token names as the server accepts them: stored trimmed, 1-100 characters, unique per user (case-sensitive).
import { englishMessage } from '../ports';
import type { Translate } from '../ports';
import { utcDay } from './dates';

export const MAX_TOKEN_NAME_LENGTH = 100;

/** A message saying what is wrong with `raw` as a new token name, or undefined when the server will accept it. */
export function validateTokenName(raw: string, existingNames: readonly string[], t: Translate = englishMessage): string | undefined {
  const name = raw.trim();
  if (name === '') return t('Enter a name for the token.');
  if (name.length > MAX_TOKEN_NAME_LENGTH) {
    return t('The name is {0} characters long; at most {1} are allowed.', name.length, MAX_TOKEN_NAME_LENGTH);
  }
  if (existingNames.includes(name)) return t('A token named "{0}" already exists for this user.', name);
  return undefined;
}

/** Lower-case letters, digits and single dashes from a machine name, so the suggestion reads well in any list. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

/** `vscode-<machine>-<YYYY-MM-DD>`, with `-2`, `-3`… appended when that name is taken. */
export function suggestTokenName(machineName: string, now: Date, existingNames: readonly string[]): string {
  const machine = slug(machineName);
  const base = ['vscode', machine, utcDay(now)].filter((part) => part !== '').join('-');
  const taken = new Set(existingNames);
  let candidate = base;
  for (let counter = 2; taken.has(candidate); counter++) candidate = `${base}-${counter}`;
  return candidate;
}
