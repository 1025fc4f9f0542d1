// Two server processes on one SQLite file: every write waits its turn instead of failing with
// "database is locked", and the loser of two simultaneous saves gets the 409 page with its input.
// Real processes (tests/fixtures/write-race.ts), as with WEB_CONCURRENCY=2. With
// TEST_DATABASE=postgresql the same races on PostgreSQL, as two servers would run them: serializable
// transactions, the loser run again (docs/decisions/0027-postgresql.md).
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { beforeAll, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import { isPostgres } from "~/utils/db-provider.server";
import { db } from "~/utils/db.server";
import { rawConnectionOf } from "~/utils/raw-sqlite.server";
import { getSearchEngine } from "~/models/search/engine.server";
import { EmbeddedEngine } from "../../search/embedded.server";
import { createUser, type TestUser } from "../setup/auth";

let member: TestUser;
let studio: { id: string; slug: string };
beforeAll(async () => {
  // WAL, as `npm start` leaves every database (scripts/migrate.ts); before the first connection opens
  if (process.env.DATABASE_URL!.startsWith("file:")) {
    const wal = new Database(process.env.DATABASE_URL!.replace(/^file:/, ""));
    wal.pragma("journal_mode = WAL");
    wal.close();
  }
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  member = await createUser({ studio: "xu-xin" });
  studio = await db.studio.findUniqueOrThrow({ where: { slug: "xu-xin" }, select: { id: true, slug: true } });
}, 120_000);

type Outcome = { ok: boolean; status?: number; errors?: Record<string, string>; title?: string; thrown?: string };

function run(job: Record<string, unknown>): Promise<Outcome[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/write-race.ts", JSON.stringify(job)], {
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`write-race exited ${code}:\n${err}`));
      resolve(JSON.parse(out.trim().split("\n").at(-1)!));
    });
  });
}

test("90 simultaneous patent creations from two processes all succeed", async () => {
  const startAt = Date.now() + 6_000;
  const common = { mode: "patents", studio, actorId: member.id, startAt, count: 45 };
  const [a, b] = await Promise.all([run({ ...common, first: 1 }), run({ ...common, first: 1001 })]);
  const all = [...a, ...b];
  expect(all.filter((o) => !o.ok)).toEqual([]);
  expect(await db.patent.count({ where: { title: { startsWith: "一种地铁司机培训用模拟操纵台" } } })).toBe(90);
}, 120_000);

test("two simultaneous saves of one result: one is published, the other gets 409 with what was typed", async () => {
  const slug = "hmi-simulation-software";
  const before = await db.result.findUniqueOrThrow({ where: { slug } });
  const startAt = Date.now() + 6_000;
  const common = { mode: "stale-save", studio, actorId: member.id, startAt, result: slug };
  const [[a], [b]] = await Promise.all([run({ ...common, title: "甲：列车驾驶仿真平台" }), run({ ...common, title: "乙：列车驾驶仿真平台" })]);
  const outcomes = [a, b];
  expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
  const loser = outcomes.find((o) => !o.ok)!;
  expect(loser).toMatchObject({ status: 409, errors: { _form: "form.stale" } });
  expect(loser.title).toMatch(/^[甲乙]：列车驾驶仿真平台$/);
  const after = await db.result.findUniqueOrThrow({ where: { slug } });
  expect(after.version).toBe(before.version + 1);
  expect(after.title).not.toBe(loser.title);
}, 120_000);

test("every connection is durable (synchronous=FULL) and waits for the lock (busy_timeout); on PostgreSQL transactions are serializable", async () => {
  if (isPostgres(db)) {
    // the guarantee SQLite's one writer gives, and what makes the races above come out right
    const level = await db.$transaction((tx) => tx.$queryRawUnsafe<{ transaction_isolation: string }[]>("SHOW transaction_isolation"));
    expect(level[0].transaction_isolation).toBe("serializable");
    return;
  }
  // Prisma's own connection and the raw one behind it (the same better-sqlite3 handle)
  const mode = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
  expect(mode[0].journal_mode).toBe("wal");
  const rows = await db.$queryRawUnsafe<{ synchronous: bigint | number }[]>("PRAGMA synchronous");
  expect(Number(rows[0].synchronous)).toBe(2);
  const raw = rawConnectionOf(db)!;
  expect(Number(raw.pragma("synchronous", { simple: true }))).toBe(2);
  expect(Number(raw.pragma("busy_timeout", { simple: true }))).toBe(5000);
  // the reading connection of the search engine the app uses (the library is handed these settings)
  const engine = getSearchEngine();
  expect(engine).toBeInstanceOf(EmbeddedEngine);
  const sqlite = (engine as unknown as { sqlite: import("better-sqlite3").Database }).sqlite;
  expect(sqlite.pragma("synchronous", { simple: true })).toBe(2);
  expect(sqlite.pragma("busy_timeout", { simple: true })).toBe(5000);
});
