/**
 * CronJob schedules as Kubernetes reads them (robfig/cron's standard parser): five fields
 * (minute, hour, day of month, month, day of week) with `*`, `?`, ranges, lists and steps,
 * month and weekday names, and the `@yearly`…`@hourly` and `@every <duration>` descriptors.
 * `TZ=`/`CRON_TZ=` prefixes are refused, as the API server refuses them (use `timeZone`).
 */

/** One parsed schedule: the allowed values of each field, or a fixed interval. */
export type Schedule =
  | {
      readonly kind: "fields";
      readonly minute: ReadonlySet<number>;
      readonly hour: ReadonlySet<number>;
      readonly dayOfMonth: ReadonlySet<number>;
      readonly month: ReadonlySet<number>;
      readonly dayOfWeek: ReadonlySet<number>;
      /** Whether day of month / day of week were `*` (cron's "either matches" rule). */
      readonly anyDayOfMonth: boolean;
      readonly anyDayOfWeek: boolean;
    }
  | { readonly kind: "every"; readonly seconds: number };

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const DESCRIPTORS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** The reason a schedule is invalid, or undefined when it is valid. */
export function checkCronSchedule(text: string): string | undefined {
  const parsed = parseCronSchedule(text);
  return "problem" in parsed ? parsed.problem : undefined;
}

/** Parses a schedule, or says why it cannot. */
export function parseCronSchedule(text: string): Schedule | { problem: string } {
  const s = text.trim();
  if (/^(CRON_)?TZ=/.test(s))
    return { problem: "a time zone goes in spec.timeZone, not in the schedule" };
  if (s.startsWith("@every ")) {
    const seconds = durationSeconds(s.slice(7).trim());
    return seconds === undefined || seconds <= 0
      ? { problem: "@every needs a duration such as 5m or 1h30m" }
      : { kind: "every", seconds };
  }
  const expanded = Object.hasOwn(DESCRIPTORS, s) ? (DESCRIPTORS[s] ?? s) : s;
  if (expanded.startsWith("@"))
    return { problem: `${JSON.stringify(s)} is not a known descriptor` };
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5)
    return {
      problem: `it has ${fields.length} fields; a schedule has 5 (minute hour day-of-month month day-of-week)`,
    };
  const [mi, h, dom, mo, dow] = fields as [string, string, string, string, string];
  const specs: [string, string, number, number, readonly string[]][] = [
    ["minute", mi, 0, 59, []],
    ["hour", h, 0, 23, []],
    ["day of month", dom, 1, 31, []],
    ["month", mo, 1, 12, MONTHS],
    ["day of week", dow, 0, 6, DAYS],
  ];
  const sets: Set<number>[] = [];
  for (const [name, field, min, max, names] of specs) {
    const set = parseField(field, min, max, names, name === "day of week");
    if (typeof set === "string") return { problem: `${name} ${JSON.stringify(field)}: ${set}` };
    sets.push(set);
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  return {
    kind: "fields",
    minute,
    hour,
    dayOfMonth,
    month,
    dayOfWeek,
    anyDayOfMonth: dom === "*" || dom === "?",
    anyDayOfWeek: dow === "*" || dow === "?",
  };
}

function parseField(
  field: string,
  min: number,
  max: number,
  names: readonly string[],
  weekday: boolean,
): Set<number> | string {
  const out = new Set<number>();
  for (const part of field.split(",")) {
    const [range, stepText, extra] = part.split("/");
    if (extra !== undefined || range === undefined || range === "")
      return "it is not a valid list item";
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0)
        return `step ${JSON.stringify(stepText)} must be a positive number`;
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === "*" || range === "?") {
      lo = min;
      hi = max;
    } else {
      const [a, b, more] = range.split("-");
      if (more !== undefined) return `range ${JSON.stringify(range)} is not valid`;
      const first = value(a ?? "", names, min);
      if (first === undefined) return `${JSON.stringify(a)} is not a number or name`;
      lo = first;
      if (b === undefined) hi = stepText === undefined ? first : max;
      else {
        const second = value(b, names, min);
        if (second === undefined) return `${JSON.stringify(b)} is not a number or name`;
        hi = second;
      }
    }
    // Sunday may be written 7.
    if (weekday && hi === 7) hi = 6;
    if (weekday && lo === 7) lo = 0;
    if (lo < min || hi > max) return `values must be within ${min}-${max}`;
    if (lo > hi) return `range ${JSON.stringify(range)} is backwards`;
    for (let n = lo; n <= hi; n += step) out.add(n);
  }
  return out;
}

function value(text: string, names: readonly string[], min: number): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const i = names.indexOf(text.toLowerCase());
  return i < 0 ? undefined : i + min;
}

/** Go duration syntax, as `@every` takes it: `1h30m`, `90s`, `2m`. */
function durationSeconds(text: string): number | undefined {
  const units: Readonly<Record<string, number>> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  let rest = text;
  if (rest === "") return undefined;
  while (rest !== "") {
    const m = /^(\d+(?:\.\d+)?)(ms|h|m|s)/.exec(rest);
    if (!m?.[1] || !m[2]) return undefined;
    total += Number(m[1]) * (units[m[2]] ?? 0);
    rest = rest.slice(m[0].length);
  }
  return total;
}

/** Whether `schedule` fires in the minute that starts at `date` (local time fields given). */
export function firesAt(
  schedule: Extract<Schedule, { kind: "fields" }>,
  t: { minute: number; hour: number; day: number; month: number; weekday: number },
): boolean {
  if (!schedule.minute.has(t.minute) || !schedule.hour.has(t.hour) || !schedule.month.has(t.month))
    return false;
  const dom = schedule.dayOfMonth.has(t.day);
  const dow = schedule.dayOfWeek.has(t.weekday);
  // cron: when both day fields are restricted, either may match.
  if (schedule.anyDayOfMonth || schedule.anyDayOfWeek) return dom && dow;
  return dom || dow;
}
