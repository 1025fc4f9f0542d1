// npm run db:backup (docs/backup.md): a backup taken while another process keeps writing is one
// moment of the database — it opens, passes SQLite's integrity check or restores with pg_restore
// into a fresh database, holds the seeded hub, and holds every write committed before it began and
// no half of a transaction. The PostgreSQL part runs in either test run: on TEST_POSTGRES_URL when
// given, else on a throwaway cluster of this file's own.
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { createDb } from "~/utils/db.server";
import { backupDatabase, postgresTool, type Backup } from "../../scripts/db-move/backup";
import { copyDatabase } from "../../scripts/db-move/copy";
import { copyOfTemplate, testPostgresServer } from "../setup/postgres";
import { seededSqliteHub } from "../setup/seeded-hub";
import { committedNow, pairsIn, startWriter, until, WRITER_META, WRITER_ROWS } from "../setup/writer";

const dir = mkdtempSync(path.join(inject("testRunDir"), "db-backup-"));
let source: string;
let studios: number;

beforeAll(async () => {
  source = await seededSqliteHub(dir, "source.db");
  const sqlite = new Database(source, { readonly: true });
  studios = (sqlite.prepare(`SELECT count(*) AS n FROM "Studio"`).get() as { n: number }).n;
  sqlite.close();
}, 120_000);

describe("SQLite", () => {
  test("a backup taken while another process writes opens, passes the integrity check and holds every committed pair", async () => {
    const live = path.join(dir, "live.db");
    copyFileSync(source, live);
    const writer = startWriter(live);
    try {
      await until(() => writer.committed() >= 50);
      const before = writer.committed();
      const backup = await backupDatabase(live, path.join(dir, "backups") + "/");
      const after = await committedNow(writer);
      await until(() => writer.committed() >= after + 20);

      expect(path.basename(backup.file)).toMatch(/^hub-sqlite-\d{8}-\d{6}\.db$/);
      expect(backup.bytes).toBe(statSync(backup.file).size);
      // restored: copied into place as the site's database, as docs/backup.md says
      const restored = path.join(dir, "restored.db");
      copyFileSync(backup.file, restored);
      const sqlite = new Database(restored, { readonly: true });
      expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
      const pairs = pairsIn(sqlite.prepare(WRITER_ROWS).all() as { id: string; key: string }[], sqlite.prepare(WRITER_META).all() as { key: string }[]);
      sqlite.close();
      expect(pairs).toBeGreaterThanOrEqual(before);
      expect(pairs).toBeLessThanOrEqual(after + 1);
      expect(existsSync(restored + "-wal")).toBe(false);

      const db = createDb(restored);
      try {
        expect(await db.studio.count()).toBe(studios);
        expect((await db.studio.findUniqueOrThrow({ where: { slug: "xu-xin" }, include: { memberships: true } })).memberships).toHaveLength(1);
      } finally {
        await db.$disconnect();
      }
    } finally {
      await writer.stop();
    }
  });

  test("npm run db:backup writes under backups/ by default and prints the file and its size; --help says how to restore", () => {
    const cwd = mkdtempSync(path.join(dir, "cwd-"));
    const r = spawnSync(path.resolve("node_modules/.bin/tsx"), [path.resolve("scripts/db-backup.ts")], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: `file:${source}` },
      timeout: 60_000,
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const [file] = readdirSync(path.join(cwd, "backups"));
    expect(file).toMatch(/^hub-sqlite-\d{8}-\d{6}\.db$/);
    const bytes = statSync(path.join(cwd, "backups", file)).size;
    expect(r.stdout).toContain(`to backups/${file} (`);
    expect(r.stdout).toContain(`${bytes} bytes`);

    const help = spawnSync(path.resolve("node_modules/.bin/tsx"), [path.resolve("scripts/db-backup.ts"), "--help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("pg_restore --no-owner --dbname=");
    expect(help.stdout).toContain("cp backups/hub-sqlite-");
  });
});

describe("PostgreSQL", () => {
  // started by the first hook, not while the file is collected: a run filtered to other tests
  // (vitest -t) skips this block's hooks, and would leave the cluster running
  let server: ReturnType<typeof testPostgresServer>;
  beforeAll(() => {
    server = testPostgresServer();
  });
  afterAll(() => server?.stop());

  test("a pg_dump taken while another connection writes restores into a fresh database with the hub and every committed pair", async () => {
    const template = inject("testPostgresTemplate");
    const live = template ? await copyOfTemplate(template) : await server.database();
    expect((await copyDatabase(source, live)).ok).toBe(true);
    const writer = startWriter(live);
    let backup: Backup | undefined;
    let before = 0;
    let after = 0;
    try {
      await until(() => writer.committed() >= 50);
      before = writer.committed();
      backup = await backupDatabase(live, path.join(dir, "pg-backups") + "/");
      after = await committedNow(writer);
      await until(() => writer.committed() >= after + 20);
    } finally {
      await writer.stop();
    }
    if (!backup) throw new Error("no backup");
    expect(path.basename(backup.file)).toMatch(/^hub-postgresql-\d{8}-\d{6}\.dump$/);

    const restored = await server.database();
    const r = spawnSync(postgresTool("pg_restore"), ["--no-owner", `--dbname=${restored}`, backup.file], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const c = new pg.Client({ connectionString: restored });
    await c.connect();
    try {
      const pairs = pairsIn((await c.query<{ id: string; key: string }>(WRITER_ROWS)).rows, (await c.query<{ key: string }>(WRITER_META)).rows);
      expect(pairs).toBeGreaterThanOrEqual(before);
      expect(pairs).toBeLessThanOrEqual(after + 1);
      expect(Number((await c.query(`SELECT count(*) AS n FROM "Studio"`)).rows[0].n)).toBe(studios);
    } finally {
      await c.end();
    }
    // the restored database is a hub the app opens
    const db = createDb(restored);
    try {
      expect((await db.studio.findUniqueOrThrow({ where: { slug: "xu-xin" }, include: { memberships: true } })).memberships).toHaveLength(1);
    } finally {
      await db.$disconnect();
    }
  }, 120_000);
});
