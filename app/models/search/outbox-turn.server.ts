import { isPostgres } from "~/utils/db-provider.server";
import type { Db } from "~/utils/db.server";
import { rawConnectionOf } from "~/utils/raw-sqlite.server";
import { drainOutbox, type DrainOptions, type DrainReport, type OutboxRow, type OutboxTarget } from "../../../search/outbox.server";

/**
 * drainOutbox, taking turns with every other deliverer of the same database (below); on
 * PostgreSQL each batch is also claimed (claimOutboxBatch), so a row is never delivered twice even
 * when two drains do overlap.
 */
export function deliverOutbox(db: Db, target: OutboxTarget, options: DrainOptions = {}): Promise<DrainReport> {
  return oneDelivererAtATime(db, () => drainOutbox(db, target, isPostgres(db) ? { claim: claimOutboxBatch, ...options } : options));
}

/** How long a claimed batch stays its deliverer's: one that died with it leaves it to the others after this. */
export const CLAIM_MS = 2 * 60_000;

/**
 * PostgreSQL: takes the next due rows for this deliverer alone, in one statement. The rows are
 * locked with FOR UPDATE SKIP LOCKED (a deliverer claiming at the same moment takes the next ones
 * instead of waiting) and their nextAttemptAt moved CLAIM_MS ahead, so that once this commits they
 * are no longer due for anyone. The drain then deletes them when delivered, or sets their back-off
 * when not; a deliverer that dies in between leaves them to be delivered again after CLAIM_MS
 * (Meilisearch upserts the current document: a repeat is harmless, a loss would not be).
 *
 * The turns above still matter: two drains at once would each send its own batch, and a document
 * changed twice could reach Meilisearch older version last. The claim is what makes "once" hold
 * when a turn ends without its drain ending: the turn's transaction timed out or its connection
 * dropped while the drain went on.
 */
export async function claimOutboxBatch(db: Db, now: Date, batchSize: number): Promise<OutboxRow[]> {
  // (timestamp literals: Prisma keeps DateTime as UTC wall time in timestamp(3) columns)
  const rows = await db.$queryRaw<OutboxRow[]>`
    UPDATE "SearchOutbox" AS o SET "nextAttemptAt" = ${new Date(now.getTime() + CLAIM_MS).toISOString()}::timestamp
    FROM (SELECT id FROM "SearchOutbox" WHERE "nextAttemptAt" <= ${now.toISOString()}::timestamp ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED) AS due
    WHERE o.id = due.id
    RETURNING o.id, o."docId", o.attempts`;
  return rows.map((r) => ({ id: Number(r.id), docId: r.docId, attempts: Number(r.attempts) })).sort((a, b) => a.id - b.id);
}

/** pg_try_advisory_xact_lock key: the one deliverer of the outbox across servers */
const DELIVERER_LOCK = 27_000_003;
/** SQLite: the drains running in this process, by database file */
const drainingFiles = new Map<string, Promise<unknown>>();

/**
 * One drain of a database's outbox at a time, so no row is delivered twice (two drains would read
 * the same due rows). On PostgreSQL across every server: the drain runs while a transaction holds an
 * advisory lock, and a server that finds it taken skips its turn (the holder delivers what is due).
 * On SQLite within the process (only the first server process delivers: engine.server.ts); a
 * second drain waits for the running one and then finds what is left.
 */
export async function oneDelivererAtATime(db: Db, drain: () => Promise<DrainReport>): Promise<DrainReport> {
  if (isPostgres(db)) {
    let report: DrainReport | null = null;
    await db.$transaction(
      async (tx) => {
        const [{ ok }] = await tx.$queryRawUnsafe<{ ok: boolean }[]>(`SELECT pg_try_advisory_xact_lock(${DELIVERER_LOCK}) AS ok`);
        report = ok ? await drain() : { delivered: 0, failed: 0, pending: await db.searchOutbox.count(), error: null };
      },
      { maxWait: 15_000, timeout: 30 * 60_000 },
    );
    return report!;
  }
  let sqlite = rawConnectionOf(db);
  if (!sqlite) {
    await db.$queryRaw`SELECT 1`; // opens the adapter's connection, which registers itself
    sqlite = rawConnectionOf(db);
  }
  if (!sqlite) return drain();
  const file = sqlite.name;
  while (drainingFiles.has(file)) await drainingFiles.get(file)!.catch(() => undefined);
  const running = drain();
  drainingFiles.set(file, running);
  try {
    return await running;
  } finally {
    drainingFiles.delete(file);
  }
}
