// What synchronous=FULL costs on the write path (docs/decisions/0011): patents created one after
// another through the editor's model (validation, revision, search document, one transaction), on
// a fresh WAL database, with synchronous=NORMAL and with FULL, in alternating rounds.
// Usage: npx tsx scripts/sqlite-write-cost.ts [writes per round, default 200]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const perRound = Number(process.argv[2] ?? 200);
const dir = mkdtempSync(path.join(os.tmpdir(), "hub-write-cost-"));
const file = path.join(dir, "hub.db");
process.env.DATABASE_URL = `file:${file}`;
process.env.SESSION_SECRET ??= "write-cost-session-secret-0123456789";
const migrated = spawnSync("node", ["scripts/prisma.mjs", "migrate", "deploy"], { env: process.env, encoding: "utf8" });
if (migrated.status !== 0) throw new Error(migrated.stdout + migrated.stderr);

const { default: Database } = await import("better-sqlite3");
const wal = new Database(file);
wal.pragma("journal_mode = WAL");
wal.close();

const { db } = await import("~/utils/db.server");
const { rawConnectionOf } = await import("~/utils/raw-sqlite.server");
const { importContent } = await import("~/models/content-import.server");
const { publishPatent } = await import("~/models/editing.server");
const { formData, newPatentForm } = await import("../tests/fixtures/editing");

const report = await importContent(db, path.resolve("content"));
if (!report.ok) throw new Error("importing content/ failed");
const user = await db.user.create({ data: { email: "bench@example.cn", name: "测", passwordHash: "x" } });
const studio = await db.studio.findUniqueOrThrow({ where: { slug: "xu-xin" }, select: { id: true, slug: true } });
const sqlite = rawConnectionOf(db)!;

const times: Record<string, number[]> = { NORMAL: [], FULL: [] };
let n = 0;
for (let round = 0; round < 4; round++) {
  for (const mode of round % 2 ? ["FULL", "NORMAL"] : ["NORMAL", "FULL"]) {
    sqlite.pragma(`synchronous = ${mode}`);
    for (let i = 0; i < perRound; i++) {
      const form = formData(newPatentForm(studio.slug, ++n));
      const t = performance.now();
      const o = await publishPatent(form, studio, null, user.id);
      times[mode].push(performance.now() - t);
      if (!o.ok) throw new Error(JSON.stringify(o.errors));
    }
  }
}
await db.$disconnect();

// the commit alone: one small row per transaction on the bare connection, no Prisma
const bare = new Database(file);
bare.exec("CREATE TABLE IF NOT EXISTS commit_probe (id INTEGER PRIMARY KEY, v TEXT)");
const insert = bare.prepare("INSERT INTO commit_probe (v) VALUES (?)");
const commits: Record<string, number[]> = { NORMAL: [], FULL: [] };
for (let round = 0; round < 4; round++) {
  for (const mode of round % 2 ? ["FULL", "NORMAL"] : ["NORMAL", "FULL"]) {
    bare.pragma(`synchronous = ${mode}`);
    for (let i = 0; i < 500; i++) {
      const t = performance.now();
      bare.transaction(() => insert.run("x".repeat(200)))();
      commits[mode].push(performance.now() - t);
    }
  }
}
bare.close();
rmSync(dir, { recursive: true, force: true });

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
console.log(`patent creations through publishPatent, ${times.NORMAL.length} per mode, WAL, ${os.cpus().length} cores`);
console.log("| synchronous | mean ms | p50 ms | p95 ms | writes/s |");
console.log("|---|--:|--:|--:|--:|");
for (const [mode, xs] of Object.entries(times)) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`| ${mode} | ${mean.toFixed(2)} | ${q(xs, 0.5).toFixed(2)} | ${q(xs, 0.95).toFixed(2)} | ${(1000 / mean).toFixed(0)} |`);
}
console.log(`\nbare commits (one 200-byte row each, better-sqlite3, no Prisma), ${commits.NORMAL.length} per mode`);
console.log("| synchronous | mean ms | p50 ms | p95 ms |");
console.log("|---|--:|--:|--:|");
for (const [mode, xs] of Object.entries(commits)) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`| ${mode} | ${mean.toFixed(3)} | ${q(xs, 0.5).toFixed(3)} | ${q(xs, 0.95).toFixed(3)} |`);
}
