/**
 * Issuer calendars: when an issuer processes subscriptions and redemptions. A rebalance leg to an
 * issuer outside its window is held for the next window (the vault's `rebalanceExcept`) instead of
 * sitting unprocessed over a weekend or holiday at the issuer. Pure: every function takes the time.
 */

/** An issuer's window: business days only (US federal holidays off) between two local times. */
export interface IssuerWindow {
  /** IANA time zone of the issuer's cut-offs. */
  timeZone: string;
  /** Local opening and cut-off, minutes after midnight; the window is [opensAt, cutoff). */
  opensAtMinutes: number;
  cutoffMinutes: number;
  /** Whether weekends and US federal holidays are closed. */
  businessDaysOnly: boolean;
}

/** The US treasury products' window: 09:00–15:00 New York time on federal business days. */
export const TREASURY_WINDOW: IssuerWindow = {
  timeZone: "America/New_York",
  opensAtMinutes: 9 * 60,
  cutoffMinutes: 15 * 60,
  businessDaysOnly: true,
};

/** Always open: on-chain products with no issuer in the loop (ERC-4626 vaults such as sUSDS). */
export const ALWAYS_OPEN: IssuerWindow = {
  timeZone: "UTC",
  opensAtMinutes: 0,
  cutoffMinutes: 24 * 60,
  businessDaysOnly: false,
};

/** A calendar entry: a named window, or an issuer's own (its time zone, opening, cut-off and days). */
export type CalendarEntry = "treasury" | "always" | IssuerWindow;

/** The window a calendar entry stands for; an adapter the calendar does not name is always open. */
export function windowOf(entry: CalendarEntry | undefined): IssuerWindow {
  if (entry === undefined || entry === "always") return ALWAYS_OPEN;
  if (entry === "treasury") return TREASURY_WINDOW;
  return entry;
}

/** Whether `timeZone` is an IANA time zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

const pad = (n: number): string => String(n).padStart(2, "0");
const key = (y: number, m: number, d: number): string => `${y}-${pad(m)}-${pad(d)}`;

/** Day of week (0 = Sunday) of a calendar date. */
function weekday(y: number, m: number, d: number): number {
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** The n-th (1-based) given weekday of a month, or the last one when n = -1. */
function nthWeekday(y: number, m: number, day: number, n: number): number {
  if (n > 0) {
    const first = weekday(y, m, 1);
    return 1 + ((day - first + 7) % 7) + 7 * (n - 1);
  }
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return last - ((weekday(y, m, last) - day + 7) % 7);
}

/** A fixed-date holiday moves to Friday when it falls on Saturday and to Monday on Sunday. */
function observed(y: number, m: number, d: number): string {
  const date = new Date(Date.UTC(y, m - 1, d));
  const shift = date.getUTCDay() === 6 ? -1 : date.getUTCDay() === 0 ? 1 : 0;
  date.setUTCDate(date.getUTCDate() + shift);
  return key(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** The eleven US federal holidays of `year`, as observed, as YYYY-MM-DD. */
export function usFederalHolidays(year: number): Set<string> {
  return new Set([
    observed(year, 1, 1), // New Year's Day
    key(year, 1, nthWeekday(year, 1, 1, 3)), // Martin Luther King Jr. Day
    key(year, 2, nthWeekday(year, 2, 1, 3)), // Washington's Birthday
    key(year, 5, nthWeekday(year, 5, 1, -1)), // Memorial Day
    observed(year, 6, 19), // Juneteenth
    observed(year, 7, 4), // Independence Day
    key(year, 9, nthWeekday(year, 9, 1, 1)), // Labor Day
    key(year, 10, nthWeekday(year, 10, 1, 2)), // Columbus Day
    observed(year, 11, 11), // Veterans Day
    key(year, 11, nthWeekday(year, 11, 4, 4)), // Thanksgiving
    observed(year, 12, 25), // Christmas
    observed(year + 1, 1, 1), // next New Year's Day, observed on Dec 31 when it falls on a Saturday
  ]);
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minutes: number;
}

function localTime(at: Date, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const year = get("year");
  const month = get("month");
  const day = get("day");
  return { year, month, day, weekday: weekday(year, month, day), minutes: get("hour") * 60 + get("minute") };
}

/** Whether the issuer's day containing `at` is a business day (not a weekend, not a federal holiday). */
export function isBusinessDay(at: Date, window: IssuerWindow): boolean {
  if (!window.businessDaysOnly) return true;
  const local = localTime(at, window.timeZone);
  if (local.weekday === 0 || local.weekday === 6) return false;
  return !usFederalHolidays(local.year).has(key(local.year, local.month, local.day));
}

/** Whether `at` is inside the issuer's window. */
export function isOpen(at: Date, window: IssuerWindow): boolean {
  if (!isBusinessDay(at, window)) return false;
  const { minutes } = localTime(at, window.timeZone);
  return minutes >= window.opensAtMinutes && minutes < window.cutoffMinutes;
}

/** The first minute at or after `at` that is inside the window (searches up to three weeks ahead). */
export function nextOpening(at: Date, window: IssuerWindow): Date {
  const probe = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
  for (let i = 0; i < 21 * 24 * 4; i++) {
    if (isOpen(probe, window)) return probe;
    probe.setTime(probe.getTime() + 15 * 60_000);
  }
  throw new Error(`no opening of the ${window.timeZone} window within three weeks of ${at.toISOString()}`);
}
