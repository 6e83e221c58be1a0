// The last safety net for log lines: whatever a caller forgot, no token value reaches the output channel.
// It errs on the side of hiding: every bare 40-hex string is masked, git commit SHAs included, because
// SonarQube's older user tokens look exactly like them and a log line cannot tell the two apart.
import type { Logger } from '../ports';

export const REDACTED = '***';

/** Longer lines are cut so a stray response body cannot flood the log. */
export const MAX_LOG_LINE_LENGTH = 4000;

/** Known values shorter than this are not masked: they could not be tokens and would shred ordinary words. */
const MIN_KNOWN_VALUE_LENGTH = 8;

interface Rule {
  readonly pattern: RegExp;
  readonly replace: (match: string, ...groups: string[]) => string;
}

const RULES: readonly Rule[] = [
  // `Authorization: Bearer <value>` in header dumps, also quoted (`"authorization": "Basic <value>"`).
  {
    pattern: /(authorization["']?\s*[:=]\s*["']?(?:bearer|basic)\s+)[^\s"',;]+/gi,
    replace: (_match, keep) => `${keep}${REDACTED}`,
  },
  // SonarQube's typed tokens: user (squ_), project analysis (sqp_), global analysis (sqa_), scoped org (sqco_)…
  // No word boundary in front: a token glued to other text (`xsqu_…`, `id:squ_…`) is still a token.
  { pattern: /(?:sq[uapb]|sqco)_[0-9a-f]{40}(?![0-9a-f])/gi, replace: () => REDACTED },
  // …and the untyped 40-hex tokens of older servers (git SHAs too, on purpose: see above). Exactly 40: longer
  // hex runs (SHA-256 digests) are something else.
  { pattern: /(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])/gi, replace: () => REDACTED },
  // `token=…`, `access_token=…`, `SONAR_TOKEN=…`, `password=…` in query strings, form bodies and env dumps.
  {
    pattern: /(\b[\w.-]*(?:token|password)=)[^\s&#"',;]+/gi,
    replace: (_match, keep) => `${keep}${REDACTED}`,
  },
  // `"token": "…"` in JSON, as in the browser handshake body.
  {
    pattern: /("[\w.-]*(?:token|password)"\s*:\s*")[^"]*(")/gi,
    replace: (_match, keep, close) => `${keep}${REDACTED}${close}`,
  },
];

/** Masks known secret values and anything shaped like a SonarQube token or credential with `***`; idempotent. */
export function redactSecrets(line: string, knownValues: Iterable<string> = []): string {
  // Longest first, so a value that contains another is masked whole.
  const values = [...new Set(knownValues)].filter((value) => value.length >= MIN_KNOWN_VALUE_LENGTH).sort((a, b) => b.length - a.length);
  let result = line;
  for (const value of values) result = result.split(value).join(REDACTED);
  for (const rule of RULES) result = result.replace(rule.pattern, rule.replace as (match: string, ...rest: unknown[]) => string);
  return result;
}

const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- these are exactly the characters to neutralise
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** One log entry per line: line breaks become a visible mark, other control characters (ANSI escapes…) a `?`. */
export function toSingleLine(message: string): string {
  return message.replace(LINE_BREAKS, ' ⏎ ').replace(CONTROL_CHARACTERS, '?');
}

export function capLength(message: string, maxLength = MAX_LOG_LINE_LENGTH): string {
  if (message.length <= maxLength) return message;
  return `${message.slice(0, maxLength)}… (${message.length - maxLength} more characters)`;
}

/**
 * Wraps the host's logger so every line is redacted (before it is cut, so no token half survives the cut),
 * single-lined and capped. `knownValues` (the tokens this window holds or checks) is asked on every line, so newly
 * held tokens are covered at once.
 */
export function createRedactingLogger(sink: Logger, knownValues: () => Iterable<string> = () => []): Logger {
  const clean = (message: string): string => {
    let values: Iterable<string>;
    try {
      values = knownValues();
    } catch {
      values = []; // the patterns still apply; a failing supplier must not silence the log
    }
    return capLength(toSingleLine(redactSecrets(String(message), values)));
  };
  return {
    debug: (message) => sink.debug(clean(message)),
    info: (message) => sink.info(clean(message)),
    warn: (message) => sink.warn(clean(message)),
    error: (message) => sink.error(clean(message)),
  };
}
