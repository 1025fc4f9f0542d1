// npm run db:copy (docs/backup.md): a seeded hub copied SQLite → SQLite, SQLite → PostgreSQL and back,
// keeping ids, types and counters, serving the same search results and studio data, with the same
// checksums at the end; and what it refuses. The PostgreSQL part runs in either test run: on
// TEST_POSTGRES_URL when given, else on a throwaway cluster of this file's own.
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { createDb, type Db } from "~/utils/db.server";
import { EmbeddedEngine } from "../../search/embedded.server";
import { openDatabase } from "../../scripts/db-move/databases";
import { rowLine, type Value } from "../../scripts/db-move/values";
import { compareDatabases, copyDatabase, CopyRefused, formatReport, migrationHistory } from "../../scripts/db-move/copy";
import { baseDbIn } from "../setup/paths";
import { copyOfTemplate, testPostgresServer } from "../setup/postgres";
import { seededSqliteHub } from "../setup/seeded-hub";
import { startServer } from "../setup/server";
import { committedNow, pairsIn, startWriter, until, WRITER_META, WRITER_ROWS } from "../setup/writer";

const dir = mkdtempSync(path.join(inject("testRunDir"), "db-copy-"));
let source: string;

beforeAll(async () => {
  source = await seededSqliteHub(dir, "source.db");
}, 120_000);

const runCopy = (...args: string[]) => spawnSync("node_modules/.bin/tsx", ["scripts/db-copy.ts", ...args], { encoding: "utf8", timeout: 120_000 });

/** What a studio page shows, read the same way from either database. */
async function studioPage(db: Db, slug: string) {
  return db.studio.findUniqueOrThrow({
    where: { slug },
    include: {
      enterprise: true,
      industry: true,
      people: { orderBy: [{ sortOrder: "asc" }, { slug: "asc" }], include: { honourLinks: { orderBy: { sortOrder: "asc" } } } },
      results: { orderBy: { slug: "asc" } },
      patents: { orderBy: { slug: "asc" } },
      memberships: true,
    },
  });
}

async function withDb<T>(file: string, f: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb(file);
  try {
    return await f(db);
  } finally {
    await db.$disconnect();
  }
}

describe("SQLite → SQLite", () => {
  const target = () => path.join(dir, "copy.db");

  test("copies every table with its ids and values, prints each table's counts and checksums, and exits 0", async () => {
    const r = runCopy(`file:${source}`, target());
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Studio\s+28\s+28\s+([0-9a-f]{16})\s+\1\s+ok$/m);
    expect(r.stdout).toMatch(/^Delivery\s+1\s+1\s+[0-9a-f]{16}\s+[0-9a-f]{16}\s+ok$/m);
    expect(r.stdout).toMatch(/tables, \d+ rows: every count and checksum of .*copy\.db matches .*source\.db/);

    const [before, after] = await Promise.all([withDb(source, (db) => studioPage(db, "xu-xin")), withDb(target(), (db) => studioPage(db, "xu-xin"))]);
    expect(after).toEqual(before);
    expect(after.memberships).toHaveLength(1);
    await withDb(target(), async (db) => {
      expect((await db.delivery.findFirstOrThrow()).hours).toBe(2.5);
      const user = await db.user.findUniqueOrThrow({ where: { email: "copy-check@example.cn" }, include: { sessions: true } });
      expect(user.emailVerifiedAt?.toISOString()).toBe("2026-11-30T08:15:30.123Z");
      expect(user.sessions[0].expiresAt.toISOString()).toBe("2027-01-05T00:00:00.001Z");
      // the outbox's counter went on past the delivered row 3, as on the source
      expect((await db.searchOutbox.create({ data: { op: "upsert", docType: "result", docId: "result:d" } })).id).toBe(4);
    });
  });

  test("a target with rows is refused, naming the tables, and nothing is written", async () => {
    const before = await compareDatabases(source, target());
    const r = runCopy(source, target());
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/db:copy refused: the target .*copy\.db is not empty: .*Studio \(28\)/);
    await expect(copyDatabase(source, target())).rejects.toThrow(CopyRefused);
    // the outbox row added above is still the only difference
    const after = await compareDatabases(source, target());
    expect(after.tables.filter((t) => !t.ok).map((t) => t.table)).toEqual(["SearchOutbox"]);
    expect(after.tables).toEqual(before.tables);
  });

  test("a changed row shows as a mismatch of that table only", async () => {
    const copy = path.join(dir, "changed.db");
    // an empty hub at this checkout's level: copied into without migrating
    copyFileSync(baseDbIn(inject("testRunDir")), copy);
    expect((await copyDatabase(source, copy)).ok).toBe(true);
    const sqlite = new Database(copy);
    sqlite.prepare(`UPDATE "Result" SET "title" = "title" || '（改）' WHERE "slug" = 'hmi-simulation-software'`).run();
    sqlite.close();
    const r = await compareDatabases(source, copy);
    expect(r.ok).toBe(false);
    expect(r.tables.filter((t) => !t.ok).map((t) => t.table)).toEqual(["Result"]);
    expect(r.tables.find((t) => t.table === "Result")).toMatchObject({ sourceRows: 62, targetRows: 62 });
    expect(formatReport(r)).toMatch(/^Result\s+62\s+62\s+\S+\s+\S+\s+MISMATCH$/m);
  });

  test("a copy made while another process keeps writing to the source is one moment of it", async () => {
    const live = path.join(dir, "live.db");
    copyFileSync(source, live);
    const copy = path.join(dir, "live-copy.db");
    copyFileSync(baseDbIn(inject("testRunDir")), copy);
    const writer = startWriter(live);
    try {
      await until(() => writer.committed() >= 50);
      const before = writer.committed();
      const report = await copyDatabase(live, copy);
      const after = await committedNow(writer);
      await until(() => writer.committed() >= after + 20);
      // the source's checksums are of the rows copied, the target's read back: they agree though the source moved on
      expect(report.ok).toBe(true);
      const sqlite = new Database(copy, { readonly: true });
      const pairs = pairsIn(sqlite.prepare(WRITER_ROWS).all() as { id: string; key: string }[], sqlite.prepare(WRITER_META).all() as { key: string }[]);
      sqlite.close();
      expect(pairs).toBeGreaterThanOrEqual(before);
      expect(pairs).toBeLessThanOrEqual(after + 1);
      expect(report.tables.find((t) => t.table === "LoginAttempt")?.targetRows).toBe(pairs * 2);
    } finally {
      await writer.stop();
    }
  });

  test("a source at another migration level is refused before the target is made", async () => {
    const older = path.join(dir, "older.db");
    copyFileSync(source, older);
    const last = migrationHistory("sqlite").at(-1)!;
    let sqlite = new Database(older);
    sqlite.prepare("DELETE FROM _prisma_migrations WHERE migration_name = ?").run(last);
    sqlite.close();
    await expect(copyDatabase(older, path.join(dir, "never-1.db"))).rejects.toThrow(`the source's migration level differs from this checkout's: it lacks ${last}`);

    const newer = path.join(dir, "newer.db");
    copyFileSync(source, newer);
    sqlite = new Database(newer);
    sqlite
      .prepare("INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ('x', 'x', ?, 0, 0, 1)")
      .run("29991231000000_from_the_future");
    sqlite.close();
    const r = runCopy(newer, path.join(dir, "never-2.db"));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("it has migrations this checkout does not (29991231000000_from_the_future)");
    expect(existsSync(path.join(dir, "never-1.db")) || existsSync(path.join(dir, "never-2.db"))).toBe(false);
  });
});

describe("SQLite → PostgreSQL → SQLite", () => {
  // started by the first hook, not while the file is collected: a run filtered to other tests
  // (vitest -t) skips this block's hooks, and would leave the cluster running
  let server: ReturnType<typeof testPostgresServer>;
  beforeAll(() => {
    server = testPostgresServer();
  });
  let target: string;
  afterAll(() => server?.stop());

  beforeAll(async () => {
    // the PostgreSQL run's migrated template saves migrating (an empty database works the same)
    const template = inject("testPostgresTemplate");
    target = template ? await copyOfTemplate(template) : await server.database();
    const report = await copyDatabase(source, target);
    if (!report.ok) throw new Error(formatReport(report));
  }, 120_000);

  test("every count and checksum agrees, and the counters continue after the source's", async () => {
    const r = await compareDatabases(source, target);
    expect(r.ok).toBe(true);
    expect(r.tables.find((t) => t.table === "SearchDoc")?.targetRows).toBeGreaterThan(100);
    await withDb(target, async (db) => {
      const last = (await db.searchChange.aggregate({ _max: { seq: true } }))._max.seq!;
      expect((await db.searchChange.create({ data: { docId: "result:x" } })).seq).toBe(last + 1);
      expect((await db.searchOutbox.create({ data: { op: "upsert", docType: "result", docId: "result:d" } })).id).toBe(4);
      expect((await db.delivery.findFirstOrThrow()).hours).toBe(2.5);
      expect((await db.notification.findFirstOrThrow()).readAt?.toISOString()).toBe("2026-12-01T01:02:03.004Z");
    });
  });

  test("search finds the same results and a studio page shows the same data", async () => {
    const [a, b] = [new EmbeddedEngine(source), new EmbeddedEngine(target)];
    try {
      for (const q of ["轮对", "模拟", "城轨", "hmi", "变电站 巡检"]) {
        const [x, y] = [await a.search({ q, perPage: 50 }), await b.search({ q, perPage: 50 })];
        expect(x.total).toBeGreaterThan(0);
        expect(y.total).toBe(x.total);
        expect(y.hits.map((h) => `${h.type}:${h.slug}`).sort()).toEqual(x.hits.map((h) => `${h.type}:${h.slug}`).sort());
        expect(y.hits[0].title).toBe(x.hits[0].title);
      }
    } finally {
      await a.close();
      await b.close();
    }
    for (const slug of ["xu-xin", "metro-signal"]) expect(await withDb(target, (db) => studioPage(db, slug))).toEqual(await withDb(source, (db) => studioPage(db, slug)));
  });

  test("back to a fresh SQLite file: the same checksums as the original, table by table", async () => {
    const back = path.join(dir, "back.db");
    const r = runCopy(target, `file:${back}`);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("every count and checksum");
    const original = await compareDatabases(source, back);
    // the two rows the test above added on PostgreSQL are the only difference
    expect(original.tables.filter((t) => !t.ok).map((t) => t.table)).toEqual(["SearchChange", "SearchOutbox"]);
    expect(original.tables.filter((t) => t.ok).length).toBe(original.tables.length - 2);
  });

  test("a PostgreSQL target with rows is refused", async () => {
    await expect(copyDatabase(source, target)).rejects.toThrow(/is not empty: .*Studio \(28\)/);
  });

  test("every kind of column Prisma can declare keeps its value SQLite → PostgreSQL → SQLite, with the same checksum", async () => {
    // the hub's schema has no BigInt, Bytes, Decimal or Json column yet: a table of each kind, in
    // the types Prisma's migrations declare on each side
    const sqliteDdl = `CREATE TABLE "Kinds" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "t" TEXT, "i" INTEGER, "b" BIGINT, "f" REAL, "o" BOOLEAN, "d" DATETIME, "y" BLOB, "m" DECIMAL, "j" JSONB)`;
    const pgDdl = `CREATE TABLE "Kinds" ("id" SERIAL PRIMARY KEY, "t" TEXT, "i" INTEGER, "b" BIGINT, "f" DOUBLE PRECISION, "o" BOOLEAN, "d" TIMESTAMP(3), "y" BYTEA, "m" DECIMAL(65,30), "j" JSONB)`;
    const first = path.join(dir, "kinds-1.db");
    const sqlite = new Database(first);
    sqlite.exec(sqliteDdl);
    // as Prisma and SQLite's own defaults write them: ISO with +00:00, CURRENT_TIMESTAMP, unix ms
    const insert = sqlite.prepare(`INSERT INTO "Kinds" ("id", "t", "i", "b", "f", "o", "d", "y", "m", "j") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    insert.run(
      1,
      "中文 'quoted' \\ \n",
      2147483647,
      9007199254740993n,
      0.1 + 0.2,
      1,
      "2026-12-07T23:59:59.999+00:00",
      Buffer.from([0, 255, 1]),
      12345.25,
      '{"bb":1,"a":[2,{"z":null,"c":"中"}]}',
    );
    insert.run(2, "", -1, -5n, -0.5, 0, "2026-12-07 08:00:00", Buffer.alloc(0), 0, "[]");
    insert.run(3, null, null, null, null, null, 1796083200123n, null, null, null);
    sqlite.prepare(`DELETE FROM "Kinds" WHERE "id" = 3`).run();
    sqlite.prepare(`INSERT INTO "Kinds" ("id", "d") VALUES (4, 1796083200123)`).run();
    sqlite.prepare(`DELETE FROM "Kinds" WHERE "id" = 4`).run();
    sqlite.prepare(`INSERT INTO "Kinds" ("id", "t") VALUES (3, NULL)`).run();
    sqlite.close();

    const pgUrl = await server.database();
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(pgDdl);
    await c.end();
    const last = path.join(dir, "kinds-2.db");
    new Database(last).exec(sqliteDdl).close();

    const read = async (location: string) => {
      const db = await openDatabase(location);
      try {
        const [table] = (await db.tables(["Kinds"])).values();
        const hash = createHash("sha256");
        const rows: Value[][] = [];
        await db.beginRead();
        for await (const batch of db.rows(table)) rows.push(...batch);
        await db.endRead();
        for (const row of rows) hash.update(rowLine(row));
        return { table, rows, checksum: hash.digest("hex"), counter: await db.counter("Kinds", "id") };
      } finally {
        await db.close();
      }
    };
    const write = async (location: string, from: Awaited<ReturnType<typeof read>>) => {
      const db = await openDatabase(location);
      try {
        const [table] = (await db.tables(["Kinds"])).values();
        await db.beginWrite();
        await db.insert(table, from.rows);
        await db.setCounter("Kinds", "id", from.counter);
        await db.commit();
      } finally {
        await db.close();
      }
    };
    const original = await read(first);
    expect(original.table.columns.map((col) => `${col.name}:${col.kind}`)).toEqual([
      "b:bigint",
      "d:datetime",
      "f:float",
      "i:int",
      "id:int",
      "j:json",
      "m:decimal",
      "o:bool",
      "t:text",
      "y:bytes",
    ]);
    expect(original.rows[0]).toEqual([
      9007199254740993n,
      "2026-12-07T23:59:59.999Z",
      0.30000000000000004,
      2147483647,
      1,
      '{"a":[2,{"c":"中","z":null}],"bb":1}',
      "12345.25",
      true,
      "中文 'quoted' \\ \n",
      Buffer.from([0, 255, 1]),
    ]);
    expect(original.rows[1][1]).toBe("2026-12-07T08:00:00.000Z");
    expect(original.counter).toBe(4);

    await write(pgUrl, original);
    const onPostgres = await read(pgUrl);
    expect(onPostgres.rows).toEqual(original.rows);
    expect(onPostgres.checksum).toBe(original.checksum);
    expect(onPostgres.counter).toBe(4);

    await write(last, onPostgres);
    const back = await read(last);
    expect(back.rows).toEqual(original.rows);
    expect(back.checksum).toBe(original.checksum);
    expect(back.counter).toBe(4);
  });

  test("the built server on the PostgreSQL copy answers search and a studio as the server on the SQLite original does", async () => {
    const servers = [
      await startServer({ DATABASE_URL: `file:${source}`, DEMO_ACCOUNTS: "0" }),
      await startServer({ DATABASE_URL: target, DATA_DIR: mkdtempSync(path.join(dir, "data-")), DEMO_ACCOUNTS: "0" }),
    ];
    try {
      const get = async (port: number, url: string) => {
        const res = await fetch(`http://127.0.0.1:${port}${url}`, { headers: { "Accept-Language": "zh-CN" } });
        expect(res.status).toBe(200);
        return res;
      };
      for (const q of ["轮对", "模拟", "城轨 信号", "hmi"]) {
        const [x, y] = await Promise.all(servers.map(async (s) => (await get(s.port, `/api/search?q=${encodeURIComponent(q)}`)).json()));
        expect(x.total).toBeGreaterThan(0);
        expect({ total: y.total, facets: y.facets }).toEqual({ total: x.total, facets: x.facets });
        const urls = (r: { hits: { url: string }[] }) => r.hits.map((h) => h.url).sort();
        expect(urls(y)).toEqual(urls(x));
      }
      const [a, b] = await Promise.all(servers.map(async (s) => (await get(s.port, "/api/studios/xu-xin")).json()));
      expect(b).toEqual(a);
      const pages = await Promise.all(servers.map(async (s) => (await get(s.port, "/studios/xu-xin")).text()));
      const results = (html: string) => [...html.matchAll(/href="\/results\/([^"?]+)"/g)].map((m) => m[1]).sort();
      expect(results(pages[1]).length).toBeGreaterThan(0);
      expect(results(pages[1])).toEqual(results(pages[0]));
      expect(pages[1]).toContain(a.name);
    } finally {
      for (const s of servers) s.child.kill("SIGTERM");
    }
  }, 180_000);
});
