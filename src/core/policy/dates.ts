// Calendar arithmetic in UTC: the server stores an expiration date as the start of that day in UTC.

export const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` of the UTC day `date` falls on. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` of the UTC day `days` after the one `date` falls on. */
export function utcDayPlus(date: Date, days: number): string {
  const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return utcDay(new Date(start + days * DAY_MS));
}

/** A real calendar date written exactly `YYYY-MM-DD`, else undefined (`2025-02-30` is not one). */
export function parseUtcDay(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return utcDay(date) === text ? date : undefined;
}

/**
 * The server's date-times (`2018-01-10T14:06:05+0100`) or a plain day; undefined when unreadable.
 * V8 reads the offset as it comes (fast, for long token lists); other engines need its colon.
 */
export function parseServerDate(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const direct = new Date(text);
  if (!Number.isNaN(direct.getTime())) return direct;
  const date = new Date(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Whole days from `earlier` to `later` (negative when `later` is before `earlier`). */
export function wholeDaysBetween(earlier: Date, later: Date): number {
  return Math.floor((later.getTime() - earlier.getTime()) / DAY_MS);
}
