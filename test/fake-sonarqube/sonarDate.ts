// Dates the way the SonarQube Web API writes and reads them.

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** `2018-01-10T14:06:05+0100`: the wall-clock time at the given offset, then the offset. */
export function formatSonarDateTime(date: Date, utcOffsetMinutes = 0): string {
  const shifted = new Date(date.getTime() + utcOffsetMinutes * 60_000);
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const offset = Math.abs(utcOffsetMinutes);
  return (
    `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}` +
    `T${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(offset / 60))}${pad(offset % 60)}`
  );
}

/** `YYYY-MM-DD` of a date in UTC. */
export function utcDay(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** Start of the UTC day `days` after the date's own UTC day. */
export function startOfUtcDay(date: Date, days = 0): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + days));
}

/** A strict `YYYY-MM-DD` calendar date as the start of that day in UTC, or undefined (also for 2025-02-30). */
export function parseDay(text: string): Date | undefined {
  const match = dayPattern.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : undefined;
}

/** For seeding: `YYYY-MM-DD` (start of the UTC day) or any date-time `Date` understands. */
export function parseSeedDate(text: string | Date, field: string): Date {
  const date = text instanceof Date ? text : (parseDay(text) ?? new Date(text));
  if (Number.isNaN(date.getTime())) throw new Error(`${field}: not a date: ${String(text)}`);
  return date;
}
