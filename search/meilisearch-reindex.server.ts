// Full reindex for Meilisearch without a gap: build a fresh index next to the live one, then swap
// them atomically and delete the old one. Search keeps answering from the live index meanwhile.
import type { Db } from "~/utils/db.server";
import type { IndexSwap } from "meilisearch";
import { request, runTask, toMeiliError } from "./meili-errors";
import type { MeilisearchEngine } from "./meilisearch.server";

export interface MeiliReindexProgress {
  done: number;
  total: number;
  index: string;
}

export interface MeiliReindexSummary {
  /** the live index uid */
  index: string;
  /** the uid the documents were built under before the swap */
  builtAs: string;
  documents: number;
  batches: number;
  /** documents changed while the reindex ran, delivered again after the swap */
  caughtUp: number;
  /** outbox rows made redundant by the rebuild */
  clearedOutbox: number;
  /** leftovers of earlier, interrupted reindexes that were removed */
  removedStale: string[];
  tookMs: number;
}

export async function reindexMeilisearch(
  db: Db,
  engine: MeilisearchEngine,
  options: { batchSize?: number; onProgress?: (p: MeiliReindexProgress) => void | Promise<void>; now?: () => number } = {},
): Promise<MeiliReindexSummary> {
  const started = performance.now();
  const live = engine.indexUid;
  const batchSize = options.batchSize ?? 1000;
  const fresh = `${live}_${(options.now ?? Date.now)()}`;
  const client = engine.client;

  // indexes left behind by an interrupted reindex
  const stalePattern = new RegExp(`^${live}_\\d+$`); // uids hold only [A-Za-z0-9_-]
  const existing = await request("listing indexes", () => client.getRawIndexes({ limit: 1000 }));
  const removedStale: string[] = [];
  for (const ix of existing.results) {
    if (stalePattern.test(ix.uid) && ix.uid !== fresh) {
      await runTask(client.deleteIndex(ix.uid), `deleting the stale index ${ix.uid}`, engine.taskTimeoutMs);
      removedStale.push(ix.uid);
    }
  }

  // Everything committed up to here is in the rebuild; anything later is caught up after the swap.
  const [lastChange, lastOutbox] = await Promise.all([
    db.searchChange.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } }),
    db.searchOutbox.findFirst({ orderBy: { id: "desc" }, select: { id: true } }),
  ]);
  const total = await db.searchDoc.count();

  let done = 0;
  let batches = 0;
  try {
    await runTask(client.createIndex(fresh, { primaryKey: "id" }), `creating index ${fresh}`, engine.taskTimeoutMs);
    await engine.applySettings(fresh);
    let cursor: string | undefined;
    for (;;) {
      const rows = await db.searchDoc.findMany({ orderBy: { id: "asc" }, take: batchSize, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}) });
      if (!rows.length) break;
      await engine.addRows(rows, fresh);
      done += rows.length;
      batches++;
      cursor = rows[rows.length - 1].id;
      await options.onProgress?.({ done, total: Math.max(total, done), index: fresh });
    }
    await engine.createIfMissing(live);
    // `rename` is left out: swapping (rename false) is the default on every 1.x server, and older
    // servers reject the field
    await runTask(client.swapIndexes([{ indexes: [live, fresh] } as IndexSwap]), `swapping ${fresh} into ${live}`, engine.taskTimeoutMs);
  } catch (e) {
    await client
      .deleteIndex(fresh)
      .waitTask({ timeout: engine.taskTimeoutMs })
      .catch(() => undefined);
    throw toMeiliError(e, "reindexing Meilisearch");
  }
  // after the swap, `fresh` holds the old documents
  await runTask(client.deleteIndex(fresh), `deleting the previous index (now ${fresh})`, engine.taskTimeoutMs);
  engine.resetEnsured();

  // changes committed while the rebuild ran may have been delivered to the old index: send them again
  const changed = await db.searchChange.findMany({ where: { seq: { gt: lastChange?.seq ?? 0 } }, select: { docId: true } });
  const ids = [...new Set(changed.map((c) => c.docId))];
  for (let i = 0; i < ids.length; i += batchSize) await engine.deliver(ids.slice(i, i + batchSize));
  const cleared = lastOutbox ? (await db.searchOutbox.deleteMany({ where: { id: { lte: lastOutbox.id } } })).count : 0;

  return {
    index: live,
    builtAs: fresh,
    documents: done,
    batches,
    caughtUp: ids.length,
    clearedOutbox: cleared,
    removedStale,
    tookMs: Math.round(performance.now() - started),
  };
}
