import { spawn, type ChildProcess } from "node:child_process";
import { expect } from "vitest";

// A second process that keeps writing while a test copies or backs up the database (db:copy,
// db:backup): what they produce must be one moment of it.

/**
 * Another process writing, as fast as it can, transactions that touch two tables: LoginAttempt rows
 * `w<n>-a` and `w<n>-b` with key `writer:<n>`, and between them a SearchMeta row `writer:<n>`. It
 * prints n after each commit. A copy of one moment holds all of each transaction or none.
 */
export function startWriter(location: string): { child: ChildProcess; committed: () => number; stop: () => Promise<void> } {
  const sqlite = `
    const Database = require("better-sqlite3");
    const db = new Database(process.argv[1]);
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 15000");
    const insert = db.prepare('INSERT INTO "LoginAttempt" ("id", "key", "createdAt") VALUES (?, ?, ?)');
    const meta = db.prepare('INSERT INTO "SearchMeta" ("key", "value") VALUES (?, ?)');
    const pair = db.transaction((n) => {
      const at = new Date().toISOString();
      insert.run("w" + n + "-a", "writer:" + n, at);
      meta.run("writer:" + n, String(n));
      insert.run("w" + n + "-b", "writer:" + n, at);
    });
    let n = 0;
    (function next() { pair(++n); process.stdout.write(n + "\\n"); setImmediate(next); })();`;
  const postgres = `
    const pg = require("pg");
    const c = new pg.Client({ connectionString: process.argv[1] });
    (async () => {
      await c.connect();
      for (let n = 1; ; n++) {
        await c.query("BEGIN");
        const at = new Date().toISOString();
        await c.query('INSERT INTO "LoginAttempt" ("id", "key", "createdAt") VALUES ($1, $2, $3)', ["w" + n + "-a", "writer:" + n, at]);
        await c.query('INSERT INTO "SearchMeta" ("key", "value") VALUES ($1, $2)', ["writer:" + n, String(n)]);
        await c.query('INSERT INTO "LoginAttempt" ("id", "key", "createdAt") VALUES ($1, $2, $3)', ["w" + n + "-b", "writer:" + n, at]);
        await c.query("COMMIT");
        process.stdout.write(n + "\\n");
      }
    })();`;
  const child = spawn(process.execPath, ["-e", /^postgres/.test(location) ? postgres : sqlite, location], { stdio: ["ignore", "pipe", "pipe"] });
  let last = 0;
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (last = Number(d.toString().trim().split("\n").at(-1))));
  child.stderr!.on("data", (d: Buffer) => (err += d));
  return {
    child,
    committed: () => {
      if (err) throw new Error(`the writer failed:\n${err}`);
      return last;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}

export async function until(check: () => boolean) {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The writer's count once the lines it printed while this process was busy have been read. */
export async function committedNow(writer: { committed: () => number }): Promise<number> {
  await new Promise((r) => setTimeout(r, 50));
  return writer.committed();
}

/** SQL for the writer's rows in a copy: its LoginAttempt rows, then its SearchMeta keys. */
export const WRITER_ROWS = `SELECT "id", "key" FROM "LoginAttempt" WHERE "key" LIKE 'writer:%'`;
export const WRITER_META = `SELECT "key" FROM "SearchMeta" WHERE "key" LIKE 'writer:%'`;

/**
 * The writer's transactions in a copy: each whole in both tables, numbered 1…m without a gap.
 * Returns m.
 */
export function pairsIn(rows: { id: string; key: string }[], meta: { key: string }[]): number {
  const byKey = new Map<string, string[]>();
  for (const r of rows) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r.id].sort());
  const ns = [...byKey.keys()].map((k) => Number(k.slice("writer:".length))).sort((a, b) => a - b);
  for (const [key, ids] of byKey) {
    const n = key.slice("writer:".length);
    expect(ids).toEqual([`w${n}-a`, `w${n}-b`]);
  }
  expect(ns).toEqual(ns.map((_, i) => i + 1));
  expect(meta.map((m) => m.key).sort()).toEqual([...byKey.keys()].sort());
  return ns.length;
}
