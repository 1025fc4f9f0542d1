import type Database from "better-sqlite3";
import type { Tx } from "~/utils/db.server";
import { isPostgres } from "~/utils/db-provider.server";
import { rawConnectionOf } from "~/utils/raw-sqlite.server";
import { termFields } from "../../../search/doc-terms";
import { buildDocument, encodeDocumentTerms } from "./documents.server";
import type { DocType, SearchDocument } from "../../../search/engine";
import { SYNONYMS_CHANGE } from "../../../search/synonyms";
import { termsPool } from "../../../search/terms-pool.server";

/** Whether writes should also be queued for Meilisearch (set once at start-up from MEILI_HOST). */
let outboxEnabled = Boolean(process.env.MEILI_HOST);
export function setOutboxEnabled(on: boolean) {
  outboxEnabled = on;
}

/**
 * Brings the search document of one record in line with the database, inside the caller's
 * transaction: the content write and its index entry commit or roll back together.
 */
export async function indexRecord(tx: Tx, type: DocType, slug: string): Promise<void> {
  const doc = await buildDocument(tx, type, slug);
  if (doc) await writeDocument(tx, doc);
  else await removeDocument(tx, `${type}:${slug}`);
}

export async function writeDocument(tx: Tx, doc: SearchDocument): Promise<void> {
  await writeRow(tx, doc, encodeDocumentTerms(doc));
}

/**
 * writeDocument for many documents at once (a full reindex, an import): the same rows, written in
 * order in the caller's transaction, with the segmentation done on worker threads when they are
 * available (terms-pool.server.ts) — 32 documents or more.
 */
export async function writeDocuments(tx: Tx, docs: SearchDocument[]): Promise<void> {
  const pool = docs.length >= 32 ? await termsPool() : null;
  if (!pool || pool.broken) {
    for (const doc of docs) await writeDocument(tx, doc);
    return;
  }
  // every chunk is queued at once; the workers segment ahead while this thread writes
  const CHUNK = 32;
  const chunks: Promise<string[] | null>[] = [];
  for (let i = 0; i < docs.length; i += CHUNK) {
    chunks.push(pool.encode(docs.slice(i, i + CHUNK).map(termFields)).catch(() => null));
  }
  for (let c = 0; c < chunks.length; c++) {
    // (a worker that failed: this thread segments that chunk itself)
    const packed = (await chunks[c]) ?? docs.slice(c * CHUNK, (c + 1) * CHUNK).map(encodeDocumentTerms);
    for (let k = 0; k < packed.length; k++) await writeRow(tx, docs[c * CHUNK + k], packed[k]);
  }
}

async function writeRow(tx: Tx, doc: SearchDocument, terms: string): Promise<void> {
  const { id, ...fields } = doc;
  const data = { ...fields, terms };
  const sqlite = rawConnectionOf(tx);
  if (sqlite?.inTransaction) {
    // the same rows as below, written on the transaction's own connection: 2–4 ms a document
    // through Prisma's query compiler, ~0.03 ms here (app/utils/raw-sqlite.server.ts)
    const s = statements(sqlite);
    const now = new Date().toISOString().replace("Z", "+00:00"); // how Prisma stores DateTime
    const row: Record<string, unknown> = { ...data, updatedAt: now, illustrative: data.illustrative ? 1 : 0 };
    s.upsertDoc.run(id, ...DOC_COLUMNS.map((c) => row[c] ?? null));
    const seq = Number(s.insertChange.run(id, now).lastInsertRowid);
    if (outboxEnabled) {
      const [docType] = id.split(":");
      await tx.searchOutbox.create({ data: { op: "upsert", docType, docId: id } });
    }
    if (seq % 1000 === 0) s.trimChanges.run(seq - 20_000);
    return;
  }
  await tx.searchDoc.upsert({ where: { id }, create: { id, ...data }, update: data });
  await logChange(tx, id, "upsert");
}

const prepared = new WeakMap<Database.Database, ReturnType<typeof prepare>>();
const DOC_COLUMNS = [
  "type",
  "slug",
  "url",
  "title",
  "keywords",
  "body",
  "studio",
  "studioSlug",
  "enterprise",
  "industry",
  "kind",
  "level",
  "date",
  "illustrative",
  "terms",
  "updatedAt",
];
function prepare(sqlite: Database.Database) {
  return {
    upsertDoc: sqlite.prepare(
      `INSERT INTO SearchDoc (id, ${DOC_COLUMNS.join(", ")}) VALUES (?, ${DOC_COLUMNS.map(() => "?").join(", ")})
       ON CONFLICT(id) DO UPDATE SET ${DOC_COLUMNS.map((c) => `${c} = excluded.${c}`).join(", ")}`,
    ),
    insertChange: sqlite.prepare(`INSERT INTO SearchChange (docId, createdAt) VALUES (?, ?)`),
    trimChanges: sqlite.prepare(`DELETE FROM SearchChange WHERE seq < ?`),
  };
}
function statements(sqlite: Database.Database) {
  let s = prepared.get(sqlite);
  if (!s) prepared.set(sqlite, (s = prepare(sqlite)));
  return s;
}

export async function removeDocument(tx: Tx, id: string): Promise<void> {
  const { count } = await tx.searchDoc.deleteMany({ where: { id } });
  if (count) await logChange(tx, id, "delete");
}

/** pg_advisory_xact_lock key of the SearchChange log */
const SEARCH_LOG_LOCK = 27_000_002;

/**
 * On PostgreSQL, SearchChange.seq comes from a sequence, which hands out numbers in the order
 * transactions ask, not the order they commit: a reader could see seq 6 committed while 5 is still
 * open, move past 5 and never replay it. Taking this lock (held to the end of the transaction)
 * before a row is added makes the log's writers commit in seq order, as SQLite's one writer does.
 * On SQLite it does nothing.
 */
async function lockSearchLog(tx: Tx) {
  if (isPostgres(tx)) await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${SEARCH_LOG_LOCK})`);
}

async function logChange(tx: Tx, docId: string, op: "upsert" | "delete") {
  await lockSearchLog(tx);
  const change = await tx.searchChange.create({ data: { docId }, select: { seq: true } });
  if (outboxEnabled) {
    const [docType] = docId.split(":");
    await tx.searchOutbox.create({ data: { op, docType, docId } });
  }
  // the log only needs to reach back as far as a running engine may lag; readers that fall
  // further behind reload everything (embedded.server.ts)
  if (change.seq % 1000 === 0) await tx.searchChange.deleteMany({ where: { seq: { lt: change.seq - 20_000 } } });
}

/**
 * Records, inside the caller's transaction, that the site's synonym groups changed: a SearchChange
 * row that every embedded engine replays (and reloads its synonyms), and with MEILI_HOST an outbox
 * row of op "settings" whose delivery pushes Meilisearch's `synonyms` setting.
 */
export async function logSynonymsChange(tx: Tx): Promise<void> {
  await lockSearchLog(tx);
  await tx.searchChange.create({ data: { docId: SYNONYMS_CHANGE } });
  if (outboxEnabled) await tx.searchOutbox.create({ data: { op: "settings", docType: "settings", docId: SYNONYMS_CHANGE } });
}
