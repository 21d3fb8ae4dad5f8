import { UsageError } from "./io.ts";

export type OutputFormat = "table" | "json" | "yaml";

/** Parses `-o`; anything else is a usage error. */
export function parseFormat(value: unknown): OutputFormat {
  if (value === undefined || value === true) return "table";
  if (value === "table" || value === "json" || value === "yaml") return value;
  throw new UsageError(`Output format "${String(value)}" is not one of table, json, yaml`);
}

let yamlStringify: ((value: unknown) => string) | undefined;

/**
 * Loads the YAML printer. The CLI does it before a command given `-o yaml` runs: imported
 * statically, the library would be evaluated at the start of every command (~2.4 ms).
 */
export async function loadYamlPrinter(): Promise<void> {
  yamlStringify ??= (await import("yaml")).stringify;
}

/** Renders data as JSON or YAML (the table form is each command's own). */
export function renderData(value: unknown, format: "json" | "yaml"): string {
  if (format === "json") return `${JSON.stringify(value, null, 2)}\n`;
  if (!yamlStringify) throw new Error("renderData: loadYamlPrinter() was not awaited");
  return yamlStringify(value);
}

/** Renders rows as aligned columns under upper-case headers. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("   ")
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join("\n")}\n`;
}

/** Shortens a Podman ID the way `podman ps` shows it. */
export function shortId(id: string): string {
  return id.slice(0, 12);
}

/** Renders an age like kubectl: 45s, 12m, 3h, 2d. */
export function renderAge(createdIso: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(createdIso)) / 1000));
  if (!Number.isFinite(seconds)) return "?";
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}
