// Small helpers shared by the bench scripts: tables that line up with Chinese text, percentiles,
// a migrated empty database to copy from, and the machine's description.

import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";

/** Display width in a terminal: CJK and full-width characters take two columns. */
export function width(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6)
        ? 2
        : 1;
  }
  return w;
}

const pad = (s: string, n: number, right: boolean) => {
  const fill = " ".repeat(Math.max(0, n - width(s)));
  return right ? fill + s : s + fill;
};

/**
 * A Markdown table (so the same text reads well in a terminal and in README.md). Columns whose
 * cells are all numbers are right-aligned.
 */
export function table(head: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = head.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i] ?? ""))));
  const numeric = head.map((_, i) => cells.length > 0 && cells.every((r) => /^[-+]?[\d.,]+( ?[%a-zA-Z/]+)?$|^[—-]$/.test(r[i] ?? "")));
  const line = (r: string[]) => "| " + r.map((c, i) => pad(c, widths[i], numeric[i])).join(" | ") + " |";
  const rule = "|" + widths.map((w, i) => (numeric[i] ? "-".repeat(w + 1) + ":" : "-".repeat(w + 2))).join("|") + "|";
  return [line(head), rule, ...cells.map(line)].join("\n");
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summarize(latencies: number[]) {
  const s = [...latencies].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return { n: s.length, mean, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}

export const ms = (x: number) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) : "—");
export const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "—");
export const mb = (bytes: number) => (Number.isFinite(bytes) ? `${Math.round(bytes / 1e6)}` : "—");

/** Creates an empty, fully migrated SQLite database at `file` with `prisma migrate deploy`. */
export function migratedDatabase(file: string): void {
  const r = spawnSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${file}` },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`migrating ${file} failed:\n${r.stdout}\n${r.stderr}`);
}

export function machine() {
  const list = cpus();
  return {
    cpu: (list[0]?.model ?? "unknown").trim(),
    cores: list.length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}
