// Delivery of the search outbox to Meilisearch. Every write to a SearchDoc row also writes a
// SearchOutbox row in the same transaction (sync.server.ts) when MEILI_HOST is set; this worker
// sends those changes to Meilisearch, deletes what was delivered, and keeps what was not — with the
// error, the attempt count and an exponential back-off — so a Meilisearch outage never loses a write.
import type { Db } from "~/utils/db.server";
import { MeiliError, toMeiliError } from "./meili-errors";
import type { MeilisearchEngine } from "./meilisearch.server";

export const OUTBOX_BATCH = 200;
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 5 * 60_000;

/** Wait after the n-th failed attempt (n ≥ 1): 1 s, 2 s, 4 s … capped at 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/** What the worker needs from an engine; MeilisearchEngine provides it. */
export type OutboxTarget = Pick<MeilisearchEngine, "ensureIndex" | "deliver">;

/** What a drain needs of an outbox row. */
export interface OutboxRow {
  id: number;
  docId: string;
  attempts: number;
}

/** Takes the next due rows, oldest first, for this deliverer alone (see DrainOptions.claim). */
export type ClaimBatch = (db: Db, now: Date, batchSize: number) => Promise<OutboxRow[]>;

export interface DrainOptions {
  /** the clock; rows with nextAttemptAt after it wait (tests move it forward instead of sleeping) */
  now?: Date;
  batchSize?: number;
  /**
   * How a batch is taken. By default the due rows are read, and whoever drains must make sure no
   * other drain reads them at the same time; with PostgreSQL the app claims them instead, so that
   * no other server can deliver them again (app/models/search/outbox-turn.server.ts).
   */
  claim?: ClaimBatch;
}

export interface DrainReport {
  delivered: number;
  failed: number;
  /** rows still in the outbox afterwards, due or not */
  pending: number;
  /** the last error met, if any */
  error: string | null;
}

/**
 * Delivers the due outbox rows in order, a batch at a time, until none are due or Meilisearch
 * fails. Never throws for Meilisearch errors: they are recorded on the rows (and returned).
 */
export async function drainOutbox(db: Db, target: OutboxTarget, options: DrainOptions = {}): Promise<DrainReport> {
  return drainNow(db, target, options);
}

async function drainNow(db: Db, target: OutboxTarget, options: DrainOptions): Promise<DrainReport> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? OUTBOX_BATCH;
  let delivered = 0;
  let failed = 0;
  let error: string | null = null;

  for (;;) {
    const rows: OutboxRow[] = options.claim
      ? await options.claim(db, now, batchSize)
      : await db.searchOutbox.findMany({ where: { nextAttemptAt: { lte: now } }, orderBy: { id: "asc" }, take: batchSize });
    if (!rows.length) break;
    try {
      const { created } = await target.ensureIndex();
      // a new, empty index (first start with MEILI_HOST, or someone deleted it): queue everything
      if (created) await enqueueAll(db, now);
      await target.deliver(rows.map((r) => r.docId));
      await db.searchOutbox.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
      delivered += rows.length;
      continue;
    } catch (e) {
      const err = toMeiliError(e, "delivering the search outbox");
      error = err.message;
      const docIds = [...new Set(rows.map((r) => r.docId))];
      if (err.kind !== "task" || docIds.length === 1) {
        // Meilisearch is away or refuses everything: keep the rows, retry later
        await markFailed(db, rows, err, now);
        failed += rows.length;
        break;
      }
      // a task failed for a batch: deliver one document at a time so one bad document cannot
      // hold back the others
      let outage: MeiliError | null = null;
      for (const docId of docIds) {
        const mine = rows.filter((r) => r.docId === docId);
        if (outage) {
          await markFailed(db, mine, outage, now);
          failed += mine.length;
          continue;
        }
        try {
          await target.deliver([docId]);
          await db.searchOutbox.deleteMany({ where: { id: { in: mine.map((r) => r.id) } } });
          delivered += mine.length;
        } catch (e2) {
          const err2 = toMeiliError(e2, `delivering ${docId}`);
          error = err2.message;
          if (err2.kind !== "task") outage = err2;
          await markFailed(db, mine, err2, now);
          failed += mine.length;
        }
      }
      if (outage) break;
    }
  }
  const pending = await db.searchOutbox.count();
  return { delivered, failed, pending, error };
}

async function markFailed(db: Db, rows: { id: number; attempts: number }[], err: Error, now: Date) {
  const message = err.message.slice(0, 2000);
  await db.$transaction(
    rows.map((r) =>
      db.searchOutbox.update({
        where: { id: r.id },
        data: { attempts: r.attempts + 1, lastError: message, nextAttemptAt: new Date(now.getTime() + backoffMs(r.attempts + 1)) },
      }),
    ),
  );
}

/** Queues every search document for delivery (a fresh index must receive them all). */
export async function enqueueAll(db: Db, now = new Date()): Promise<number> {
  let queued = 0;
  let cursor: string | undefined;
  for (;;) {
    const docs = await db.searchDoc.findMany({
      select: { id: true, type: true },
      orderBy: { id: "asc" },
      take: 1000,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (!docs.length) break;
    await db.searchOutbox.createMany({ data: docs.map((d) => ({ op: "upsert", docType: d.type, docId: d.id, nextAttemptAt: now })) });
    queued += docs.length;
    cursor = docs[docs.length - 1].id;
  }
  return queued;
}

export interface OutboxStats {
  pending: number;
  /** rows that failed at least once and wait for their next attempt */
  failing: number;
  maxAttempts: number;
  oldest: string | null;
  nextAttemptAt: string | null;
  lastError: string | null;
}

export async function outboxStats(db: Db): Promise<OutboxStats> {
  const [pending, failing, oldest, worst, latestFailure] = await Promise.all([
    db.searchOutbox.count(),
    db.searchOutbox.count({ where: { attempts: { gt: 0 } } }),
    db.searchOutbox.findFirst({ orderBy: { id: "asc" }, select: { createdAt: true } }),
    db.searchOutbox.findFirst({ orderBy: { attempts: "desc" }, select: { attempts: true } }),
    db.searchOutbox.findFirst({ where: { lastError: { not: null } }, orderBy: { nextAttemptAt: "desc" }, select: { lastError: true, nextAttemptAt: true } }),
  ]);
  return {
    pending,
    failing,
    maxAttempts: worst?.attempts ?? 0,
    oldest: oldest?.createdAt.toISOString() ?? null,
    nextAttemptAt: latestFailure?.nextAttemptAt.toISOString() ?? null,
    lastError: latestFailure?.lastError ?? null,
  };
}

export interface OutboxWorker {
  /** one drain now, after any drain already running */
  drain(): Promise<DrainReport>;
  stop(): void;
}

/**
 * Drains the outbox every `intervalMs` (the timer is unref'd: it never keeps a process alive).
 * Logs when delivery starts failing and when it recovers, not on every tick.
 */
export function startOutboxWorker(
  db: Db,
  target: OutboxTarget,
  options: {
    intervalMs?: number;
    log?: (message: string) => void;
    /** drainOutbox, or one that takes turns with other deliverers (app/models/search/outbox-turn.server.ts) */
    drain?: (db: Db, target: OutboxTarget) => Promise<DrainReport>;
  } = {},
): OutboxWorker {
  const log = options.log ?? ((m: string) => console.warn(m));
  const drainOnce = options.drain ?? drainOutbox;
  let running: Promise<DrainReport> | null = null;
  let failing = false;
  let bootstrapped = false;
  let lastLogged: string | null = null;
  const drain = async (): Promise<DrainReport> => {
    while (running) await running.catch(() => undefined);
    running = (async () => {
      if (!bootstrapped) {
        // first contact: create the index with its settings; a new index gets every document,
        // so a site that turns MEILI_HOST on fills Meilisearch without a manual reindex
        try {
          const { created } = await target.ensureIndex();
          if (created) await enqueueAll(db);
          bootstrapped = true;
        } catch (e) {
          // not there yet: said once here; queued rows record each failed attempt below
          if (!failing) {
            failing = true;
            log(`search outbox: cannot set up the Meilisearch index yet: ${toMeiliError(e, "ensuring the index").message}`);
          }
        }
      }
      const report = await drainOnce(db, target);
      if (report.error && report.failed > 0) {
        // a new kind of failure is logged once; the rows keep every attempt's error
        if (report.error !== lastLogged) {
          lastLogged = report.error;
          log(`search outbox: delivery to Meilisearch failed, ${report.pending} change(s) kept for retry: ${report.error}`);
        }
        failing = true;
      } else if (failing && bootstrapped && !report.error && (report.delivered > 0 || report.pending === 0)) {
        failing = false;
        lastLogged = null;
        log(`search outbox: delivery to Meilisearch resumed (${report.delivered} delivered, ${report.pending} pending)`);
      }
      return report;
    })();
    try {
      return await running;
    } finally {
      running = null;
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    drain().catch((e) => log(`search outbox: ${e instanceof Error ? e.message : String(e)}`));
  }, options.intervalMs ?? 1_000);
  timer.unref();
  return { drain, stop: () => clearInterval(timer) };
}
