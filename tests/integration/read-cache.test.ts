// Reads kept until the database changes (app/utils/read-cache.server.ts, docs/decisions/0028):
// a page's repeated reads come from memory, and a commit from anywhere — this process, another
// server process, an import — is seen by the very next read.
import Database from "better-sqlite3";
import pg from "pg";
import { beforeAll, describe, expect, test } from "vitest";
import { listStudios } from "~/models/studio.server";
import { EVERY_STUDIO_VIEWER, PUBLIC_VIEWER } from "~/models/result-visibility";
import { db, keptUntilChange, readCacheOf } from "~/utils/db.server";

let enterpriseId: string;
const file = () => process.env.DATABASE_URL!.replace(/^file:/, "");

beforeAll(async () => {
  const e = await db.enterprise.create({ data: { slug: "cache-co", name: "缓存测试公司" } });
  enterpriseId = e.id;
});

const nameNow = async () => (await db.enterprise.findUniqueOrThrow({ where: { id: enterpriseId }, select: { name: true } })).name;

describe("the read cache", () => {
  test("the same read twice with nothing written between is answered from memory", async () => {
    const cache = readCacheOf(db)!;
    await nameNow();
    const hits = cache.hits;
    const misses = cache.misses;
    await nameNow();
    expect(cache.hits).toBe(hits + 1);
    expect(cache.misses).toBe(misses);
  });

  test("a write through the client is seen by the next read", async () => {
    await nameNow();
    await db.enterprise.update({ where: { id: enterpriseId }, data: { name: "改名一" } });
    expect(await nameNow()).toBe("改名一");
  });

  test("a commit by another connection (another server process, an import) is seen by the next read", async () => {
    await nameNow();
    if (/^postgres/.test(process.env.DATABASE_URL!)) {
      // TEST_DATABASE=postgresql: a connection of another server
      const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await other.connect();
      try {
        await other.query(`UPDATE "Enterprise" SET name = $1 WHERE id = $2`, ["另一个进程改的名", enterpriseId]);
      } finally {
        await other.end();
      }
      expect(await nameNow()).toBe("另一个进程改的名");
      return;
    }
    const other = new Database(file());
    try {
      other.prepare("UPDATE Enterprise SET name = ? WHERE id = ?").run("另一个进程改的名", enterpriseId);
    } finally {
      other.close();
    }
    expect(await nameNow()).toBe("另一个进程改的名");
  });

  test("reads inside a transaction see the transaction's own writes, and nothing of it is kept after a rollback", async () => {
    const before = await nameNow();
    await expect(
      db.$transaction(async (tx) => {
        await tx.enterprise.update({ where: { id: enterpriseId }, data: { name: "事务内" } });
        const inside = await tx.enterprise.findUniqueOrThrow({ where: { id: enterpriseId }, select: { name: true } });
        expect(inside.name).toBe("事务内");
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await nameNow()).toBe(before);
  });

  test("answers are shared between requests, so they cannot be changed in place", async () => {
    const rows = await db.enterprise.findMany({ where: { id: enterpriseId } });
    expect(() => rows.push(rows[0])).toThrow(TypeError);
    expect(() => {
      (rows[0] as { name: string }).name = "被改了";
    }).toThrow(TypeError);
    expect((await db.enterprise.findMany({ where: { id: enterpriseId } }))[0].name).not.toBe("被改了");
  });

  test("different arguments are different answers", async () => {
    const a = await db.enterprise.count({ where: { id: enterpriseId } });
    const b = await db.enterprise.count({ where: { id: "no-such-enterprise" } });
    expect([a, b]).toEqual([1, 0]);
  });

  test("a derived answer is kept whatever its length, until the next commit", async () => {
    let runs = 0;
    const ids = () => keptUntilChange(db, "test.long", { a: 1 }, async () => (runs++, Array.from({ length: 5_000 }, (_, i) => ({ id: `x${i}` }))));
    expect(await ids()).toHaveLength(5_000);
    await ids();
    expect(runs).toBe(1);
    await db.enterprise.update({ where: { id: enterpriseId }, data: { name: "改名二" } });
    await ids();
    expect(runs).toBe(2);
  });

  test("the studio list's kept order follows a rename at once, and a viewer's result counts are their own", async () => {
    const make = (slug: string, name: string) =>
      db.studio.create({
        data: {
          slug,
          name,
          enterprise: { connect: { id: enterpriseId } },
          industry: { connectOrCreate: { where: { key: "cache-industry" }, create: { key: "cache-industry", nameZh: "缓存", nameEn: "Cache", sector: "traditional" } } },
          level: "municipal",
          sector: "traditional",
          founded: 2020,
          body: "{}",
        },
      });
    const studio = await make("cache-order", "啊啊排序工作室");
    const other = await make("cache-other", "八八排序工作室");
    const first = async () => (await listStudios(PUBLIC_VIEWER, { sort: "name" })).studios[0]?.slug;
    expect(await first()).toBe("cache-order");
    await db.studio.update({ where: { id: studio.id }, data: { name: "最后排序工作室" } });
    expect(await first()).not.toBe("cache-order");
    // an alliance-only result: a coordinator's count puts 啊啊 first, a visitor's counts are all 0 (by name: 八八 first)
    await db.result.create({
      data: {
        slug: "cache-result",
        title: "缓存成果",
        kind: "process",
        status: "in-use",
        studioId: studio.id,
        industryKey: "cache-industry",
        year: 2024,
        body: "{}",
        published: true,
        visibility: "alliance",
      },
    });
    const byResults = async (viewer: typeof PUBLIC_VIEWER) => (await listStudios(viewer, { sort: "results", enterprise: "cache-co" })).studios.map((s) => s.slug);
    expect(await byResults(EVERY_STUDIO_VIEWER)).toEqual(["cache-order", "cache-other"]);
    expect(await byResults(PUBLIC_VIEWER)).toEqual(["cache-other", "cache-order"]);
    expect(await byResults(EVERY_STUDIO_VIEWER)).toEqual(["cache-order", "cache-other"]);
    await db.result.deleteMany({ where: { slug: "cache-result" } });
    await db.studio.deleteMany({ where: { id: { in: [studio.id, other.id] } } });
    expect((await listStudios(PUBLIC_VIEWER, { sort: "name" })).studios.map((s) => s.slug)).not.toContain("cache-order");
  });
});
