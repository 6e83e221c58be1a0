// `contextValue` strings for tree items: a base name plus `+flag`s, always in the same order.
import type { TokenType } from '../sonar/types';

export interface TokenContextFlags {
  /** This extension holds the token's value. */
  readonly held: boolean;
  readonly expired: boolean;
  readonly type: TokenType;
  /** Some binding (connected mode, MCP) uses the held value. */
  readonly bound: boolean;
  /** A revoke request whose outcome is unknown (timeout, connection lost). */
  readonly revocationUnconfirmed: boolean;
}

const TYPE_FLAGS: Record<TokenType, string> = {
  USER_TOKEN: '+user',
  GLOBAL_ANALYSIS_TOKEN: '+globalAnalysis',
  PROJECT_ANALYSIS_TOKEN: '+projectAnalysis',
};

/** e.g. `token+held+expired+user+bound`. The order is fixed because package.json regexes rely on it. */
export function tokenContextValue(flags: TokenContextFlags): string {
  return [
    'token',
    flags.held ? '+held' : '',
    flags.expired ? '+expired' : '',
    TYPE_FLAGS[flags.type],
    flags.bound ? '+bound' : '',
    flags.revocationUnconfirmed ? '+unconfirmed' : '',
  ].join('');
}

/**
 * The `when` clause that matches items whose context value has `base` and all `flags` (in contextValue order).
 * `\b` ends each word so that `+user` never matches `+userX` and `token` never matches `tokens`:
 *
 *     whenClauseFlag('token', 'held', 'user')  ->  viewItem =~ /^token\b.*\+held\b.*\+user\b/
 *
 * In package.json the backslashes are doubled: `"viewItem =~ /^token\\b.*\\+held\\b/"`.
 */
export function whenClauseFlag(base: string, ...flags: string[]): string {
  return `viewItem =~ /^${base}\\b${flags.map((flag) => `.*\\+${flag}\\b`).join('')}/`;
}
