import { isPostgres } from "~/utils/db-provider.server";
import type { Db } from "~/utils/db.server";
import { rawConnectionOf } from "~/utils/raw-sqlite.server";
import { drainOutbox, type DrainOptions, type DrainReport, type OutboxTarget } from "../../../search/outbox.server";

/** drainOutbox, taking turns with every other deliverer of the same database (below). */
export function deliverOutbox(db: Db, target: OutboxTarget, options: DrainOptions = {}): Promise<DrainReport> {
  return oneDelivererAtATime(db, () => drainOutbox(db, target, options));
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
