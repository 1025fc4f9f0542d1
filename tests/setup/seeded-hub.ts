import Database from "better-sqlite3";
import { copyFileSync } from "node:fs";
import path from "node:path";
import { inject } from "vitest";
import { importContent } from "~/models/content-import.server";
import { createDb } from "~/utils/db.server";
import { baseDbIn } from "./paths";

/**
 * A SQLite hub of its own at `dir/name`, whatever TEST_DATABASE says: the seed content (content/)
 * and rows of every kind the content does not make — a user with a session and a membership, a
 * dispatched need with a delivery (a Float), read notifications, a site setting, and an outbox
 * whose last rows were delivered (its counter is past the highest id left). For db:copy and
 * db:backup, which move whole databases.
 */
export async function seededSqliteHub(dir: string, name = "hub.db"): Promise<string> {
  const file = path.join(dir, name);
  copyFileSync(baseDbIn(inject("testRunDir")), file);
  const db = createDb(file);
  try {
    const report = await importContent(db, "content");
    if (!report.ok) throw new Error(JSON.stringify(report.problems));
    const studio = await db.studio.findUniqueOrThrow({ where: { slug: "xu-xin" } });
    const user = await db.user.create({
      data: {
        email: "copy-check@example.cn",
        name: "迁移校验员",
        passwordHash: "argon2-not-a-real-hash",
        role: "coordinator",
        emailVerifiedAt: new Date("2026-11-30T08:15:30.123Z"),
      },
    });
    await db.session.create({ data: { id: "s".repeat(43), userId: user.id, expiresAt: new Date("2027-01-05T00:00:00.001Z"), userAgent: "Mozilla/5.0 测试" } });
    await db.membership.create({ data: { userId: user.id, studioId: studio.id, role: "admin" } });
    await db.notification.create({ data: { userId: user.id, kind: "need.dispatched", params: '{"b":1,"a":"派单"}', readAt: new Date("2026-12-01T01:02:03.004Z") } });
    const need = await db.need.findFirstOrThrow({ orderBy: { slug: "asc" } });
    const dispatch = await db.needDispatch.create({ data: { needId: need.id, studioId: studio.id, state: "delivered", visitDate: "2026-12-02", dispatchedById: user.id } });
    await db.delivery.create({ data: { needId: need.id, dispatchId: dispatch.id, date: "2026-12-03", hours: 2.5, work: "现场调试", outcome: "问题解决", recordedById: user.id } });
    await db.siteSetting.create({ data: { key: "footer.host", value: "郑州市总工会", updatedById: user.id } });
    for (const docId of ["result:a", "result:b", "result:c"]) await db.searchOutbox.create({ data: { op: "upsert", docType: "result", docId } });
    await db.searchOutbox.deleteMany({ where: { docId: "result:c" } });
  } finally {
    await db.$disconnect();
  }
  // everything into the main file, so that a copy of the file alone is the whole hub
  const sqlite = new Database(file);
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.close();
  return file;
}
