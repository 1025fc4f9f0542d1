import type { Tx } from "~/utils/db.server";
import { buildDocument, documentTerms, encodeTerms } from "./documents.server";
import type { DocType, SearchDocument } from "./engine";

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
  const { id, ...fields } = doc;
  const data = { ...fields, terms: encodeTerms(documentTerms(doc)) };
  await tx.searchDoc.upsert({ where: { id }, create: { id, ...data }, update: data });
  await logChange(tx, id, "upsert");
}

export async function removeDocument(tx: Tx, id: string): Promise<void> {
  const { count } = await tx.searchDoc.deleteMany({ where: { id } });
  if (count) await logChange(tx, id, "delete");
}

async function logChange(tx: Tx, docId: string, op: "upsert" | "delete") {
  const change = await tx.searchChange.create({ data: { docId }, select: { seq: true } });
  if (outboxEnabled) {
    const [docType] = docId.split(":");
    await tx.searchOutbox.create({ data: { op, docType, docId } });
  }
  // the log only needs to reach back as far as a running engine may lag; readers that fall
  // further behind reload everything (embedded.server.ts)
  if (change.seq % 1000 === 0) await tx.searchChange.deleteMany({ where: { seq: { lt: change.seq - 20_000 } } });
}
