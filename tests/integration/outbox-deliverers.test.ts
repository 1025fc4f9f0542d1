import { afterAll, expect, test } from "vitest";
import { createDb, db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { deliverOutbox } from "~/models/search/outbox-turn.server";
import type { OutboxTarget } from "../../search/outbox.server";

// Two deliverers of one database's search outbox — two server processes, or with PostgreSQL two
// servers on separate machines (each a Prisma client of its own) — must not deliver a row twice:
// one drains at a time (app/models/search/outbox-turn.server.ts, docs/decisions/0027-postgresql.md).

const other = createDb(getEnv().databaseFile);
afterAll(() => other.$disconnect());

test("two deliverers draining at once deliver each of 100 outbox rows exactly once", async () => {
  const ids = Array.from({ length: 100 }, (_, i) => `result:deliver-once-${i}`);
  await db.searchOutbox.createMany({ data: ids.map((docId) => ({ op: "upsert", docType: "result", docId, nextAttemptAt: new Date(0) })) });
  const delivered: string[] = [];
  const target: OutboxTarget = {
    ensureIndex: async () => ({ created: false }),
    // slow enough that the two drains overlap
    deliver: async (docIds: string[]) => {
      await new Promise((r) => setTimeout(r, 30));
      delivered.push(...docIds);
      return { upserted: docIds.length, deleted: 0 };
    },
  };
  const reports = await Promise.all([deliverOutbox(db, target, { batchSize: 10 }), deliverOutbox(other, target, { batchSize: 10 })]);
  // whichever came second found the rest (SQLite, one process) or skipped its turn (PostgreSQL)
  while ((await db.searchOutbox.count()) > 0) await deliverOutbox(db, target, { batchSize: 10 });
  expect(delivered.slice().sort()).toEqual(ids.slice().sort());
  expect(reports[0].delivered + reports[1].delivered).toBeLessThanOrEqual(100);
  expect(await db.searchOutbox.count()).toBe(0);
});
