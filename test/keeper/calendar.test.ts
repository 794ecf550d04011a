import { expect } from "chai";
import {
  ALWAYS_OPEN,
  TREASURY_WINDOW,
  isOpen,
  nextOpening,
  usFederalHolidays,
  windowOf,
} from "../../src/keeper/calendar";

/** A New York wall-clock time in November (EST, UTC−5) or July (EDT, UTC−4), as a Date. */
const ny = (iso: string, offsetHours: number): Date => new Date(Date.parse(`${iso}Z`) + offsetHours * 3_600_000);

describe("issuer calendar", function () {
  it("knows the observed US federal holidays, weekend shifts included", function () {
    const h2026 = usFederalHolidays(2026);
    for (const day of [
      "2026-01-01",
      "2026-01-19", // MLK: third Monday
      "2026-02-16",
      "2026-05-25", // Memorial Day: last Monday
      "2026-06-19",
      "2026-07-03", // July 4th is a Saturday: observed Friday
      "2026-09-07",
      "2026-10-12",
      "2026-11-11",
      "2026-11-26", // Thanksgiving: fourth Thursday
      "2026-12-25",
    ]) {
      expect(h2026.has(day), day).to.equal(true);
    }
    expect(usFederalHolidays(2027).has("2027-12-31"), "Jan 1 2028 is a Saturday: observed Dec 31").to.equal(true);
    expect(usFederalHolidays(2028).has("2028-12-25"), "a Monday stays").to.equal(true);
  });

  it("a Saturday and a holiday are closed; the next business day inside the window is open", function () {
    expect(isOpen(ny("2026-11-28T11:00:00", 5), TREASURY_WINDOW), "Saturday").to.equal(false);
    expect(isOpen(ny("2026-11-26T11:00:00", 5), TREASURY_WINDOW), "Thanksgiving").to.equal(false);
    expect(isOpen(ny("2026-11-27T11:00:00", 5), TREASURY_WINDOW), "the Friday after").to.equal(true);
    expect(isOpen(ny("2026-11-30T08:59:00", 5), TREASURY_WINDOW), "before opening").to.equal(false);
    expect(isOpen(ny("2026-11-30T09:00:00", 5), TREASURY_WINDOW), "at opening").to.equal(true);
    expect(isOpen(ny("2026-11-30T14:59:00", 5), TREASURY_WINDOW), "a minute before cut-off").to.equal(true);
    expect(isOpen(ny("2026-11-30T15:00:00", 5), TREASURY_WINDOW), "at cut-off").to.equal(false);
    expect(isOpen(ny("2026-07-03T11:00:00", 4), TREASURY_WINDOW), "observed July 4th, in summer time").to.equal(false);
  });

  it("finds the next opening across a weekend and a holiday", function () {
    // Thanksgiving Wednesday after cut-off → Friday 09:00 New York.
    const opening = nextOpening(ny("2026-11-25T16:00:00", 5), TREASURY_WINDOW);
    expect(opening.toISOString()).to.equal("2026-11-27T14:00:00.000Z");
  });

  it("on-chain products are always open", function () {
    expect(isOpen(ny("2026-12-25T03:00:00", 5), ALWAYS_OPEN)).to.equal(true);
  });

  it("a product's own window: its cut-off, its time zone and its days, beside the named windows", function () {
    const stac = windowOf({
      timeZone: "America/New_York",
      opensAtMinutes: 540,
      cutoffMinutes: 840,
      businessDaysOnly: true,
    });
    const weekdayAt = (hour: number) => ny(`2026-12-08T${String(hour).padStart(2, "0")}:30:00`, 5); // a Tuesday, EST
    expect(isOpen(weekdayAt(13), stac), "13:30, before STAC's 14:00 cut-off").to.equal(true);
    expect(isOpen(weekdayAt(14), stac), "14:30: past STAC's cut-off").to.equal(false);
    expect(isOpen(weekdayAt(14), windowOf("treasury")), "still inside the treasury window").to.equal(true);
    expect(nextOpening(weekdayAt(14), stac).toISOString(), "the next morning").to.equal("2026-12-09T14:00:00.000Z");
    const weekends = windowOf({
      timeZone: "Europe/London",
      opensAtMinutes: 0,
      cutoffMinutes: 1_440,
      businessDaysOnly: false,
    });
    expect(isOpen(ny("2026-11-28T11:00:00", 5), weekends), "a Saturday").to.equal(true);
    expect(windowOf(undefined), "not in the calendar: always open").to.equal(ALWAYS_OPEN);
    expect(windowOf("always")).to.equal(ALWAYS_OPEN);
  });
});
