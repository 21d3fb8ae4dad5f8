/** When `kplay up` runs a CronJob's Jobs, and what it names them. */
import { expect, test } from "bun:test";
import { cronJobName, minuteFields, nextFire } from "../../src/up/cron.ts";
import { parseEvent } from "../../src/up/events.ts";

const at = (iso: string) => new Date(iso);

test("the next minute that matches, strictly after the given time", () => {
  expect(nextFire("*/1 * * * *", at("2026-12-08T10:00:30Z"))?.toISOString()).toBe(
    "2026-12-08T10:01:00.000Z",
  );
  expect(nextFire("*/15 * * * *", at("2026-12-08T10:00:00Z"), "UTC")?.toISOString()).toBe(
    "2026-12-08T10:15:00.000Z",
  );
  expect(nextFire("0 9 * * mon", at("2026-12-08T10:00:00Z"), "UTC")?.toISOString()).toBe(
    "2026-12-14T09:00:00.000Z",
  );
  // timeZone: 09:00 in Tokyo is 00:00 UTC.
  expect(nextFire("0 9 * * *", at("2026-12-08T10:00:00Z"), "Asia/Tokyo")?.toISOString()).toBe(
    "2026-12-09T00:00:00.000Z",
  );
  expect(nextFire("0 0 30 2 *", at("2026-12-08T10:00:00Z"), "UTC")).toBeUndefined();
});

test("@every counts from when up started", () => {
  const start = at("2026-12-08T10:00:00Z");
  expect(nextFire("@every 90s", at("2026-12-08T10:00:00Z"), undefined, start)?.toISOString()).toBe(
    "2026-12-08T10:01:30.000Z",
  );
  expect(nextFire("@every 90s", at("2026-12-08T10:01:30Z"), undefined, start)?.toISOString()).toBe(
    "2026-12-08T10:03:00.000Z",
  );
});

test("calendar fields in a time zone; Job names as the CronJob controller's", () => {
  expect(minuteFields(at("2026-12-08T23:30:00Z"), "Europe/Berlin")).toEqual({
    minute: 30,
    hour: 0,
    day: 9,
    month: 12,
    weekday: 3,
  });
  expect(cronJobName("tick", at("2026-12-08T10:01:00Z"))).toBe(
    `tick-${Date.parse("2026-12-08T10:01:00Z") / 60_000}`,
  );
});

test("libpod events are read from their docker-compatible shape", () => {
  expect(
    parseEvent(
      '{"status":"remove","id":"abc","Type":"pod","Action":"remove","Actor":{"ID":"abc","Attributes":{"name":"web-1"}}}',
    ),
  ).toEqual({
    type: "pod",
    action: "remove",
    id: "abc",
    name: "web-1",
    attributes: { name: "web-1" },
  });
  expect(parseEvent("not json")).toBeUndefined();
});
