/**
 * When a CronJob's schedule fires, as the CronJob controller computes it: the next minute
 * whose fields match (in `timeZone` when set, else this machine's zone, as the controller
 * uses its own), or every N seconds for `@every`. The Job of a run is named
 * `<cronjob>-<scheduled time in minutes since the epoch>`, as Kubernetes names it.
 */
import { firesAt, parseCronSchedule } from "../manifest/cron.ts";

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

const FORMATS = new Map<string, Intl.DateTimeFormat>();

/** The calendar fields of the minute starting at `t`, in `timeZone` (or local time). */
export function minuteFields(
  t: Date,
  timeZone?: string,
): { minute: number; hour: number; day: number; month: number; weekday: number } {
  if (timeZone === undefined) {
    return {
      minute: t.getMinutes(),
      hour: t.getHours(),
      day: t.getDate(),
      month: t.getMonth() + 1,
      weekday: t.getDay(),
    };
  }
  let format = FORMATS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      minute: "numeric",
      hour: "numeric",
      day: "numeric",
      month: "numeric",
      weekday: "short",
    });
    FORMATS.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(t).map((p) => [p.type, p.value]));
  return {
    minute: Number(parts.minute),
    hour: Number(parts.hour),
    day: Number(parts.day),
    month: Number(parts.month),
    weekday: WEEKDAYS[parts.weekday ?? ""] ?? 0,
  };
}

/**
 * The first time strictly after `after` that the schedule fires, or undefined for a schedule
 * that cannot fire within four years (Feb 30th).
 */
export function nextFire(
  schedule: string,
  after: Date,
  timeZone?: string,
  everyFrom: Date = after,
): Date | undefined {
  const parsed = parseCronSchedule(schedule);
  if ("problem" in parsed) return undefined;
  if (parsed.kind === "every") {
    const period = parsed.seconds * 1000;
    const n = Math.floor((after.getTime() - everyFrom.getTime()) / period) + 1;
    return new Date(everyFrom.getTime() + n * period);
  }
  let t = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
  const end = t + 4 * 366 * 24 * 3600_000;
  while (t < end) {
    const f = minuteFields(new Date(t), timeZone);
    if (firesAt(parsed, f)) return new Date(t);
    // Skip what cannot match: the rest of the day when the day cannot, of the hour when the
    // hour cannot (local minutes, so a zone with a half-hour offset lands on its own hours).
    const anyTime = { ...f, minute: [...parsed.minute][0] ?? 0, hour: [...parsed.hour][0] ?? 0 };
    if (!firesAt(parsed, anyTime)) t += ((24 - f.hour) * 60 - f.minute) * 60_000;
    else if (!parsed.hour.has(f.hour)) t += (60 - f.minute) * 60_000;
    else t += 60_000;
  }
  return undefined;
}

/** The Job name of the run scheduled at `at`. */
export function cronJobName(cronJob: string, at: Date): string {
  return `${cronJob}-${Math.floor(at.getTime() / 60_000)}`;
}
