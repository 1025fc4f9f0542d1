import type { Db } from "~/utils/db.server";
import { buildDocument } from "./documents.server";
import { analyzerVersion } from "../../../search/segment";
import type { DocType, SearchDocument } from "../../../search/engine";
import { removeDocument, writeDocuments } from "./sync.server";

export interface ReindexProgress {
  done: number;
  total: number;
}

/** Rebuilds every search document from the content tables, in batches of one transaction each. */
export async function reindexAll(db: Db, onProgress?: (p: ReindexProgress) => void, batch = 500): Promise<Record<DocType, number>> {
  const [studios, results, patents, needs, people] = await Promise.all([
    db.studio.findMany({ select: { slug: true } }),
    db.result.findMany({ select: { slug: true } }),
    db.patent.findMany({ select: { slug: true } }),
    db.need.findMany({ select: { slug: true } }),
    db.person.findMany({ select: { slug: true } }),
  ]);
  const work: [DocType, string][] = [
    ...studios.map((s) => ["studio", s.slug] as [DocType, string]),
    ...results.map((s) => ["result", s.slug] as [DocType, string]),
    ...patents.map((s) => ["patent", s.slug] as [DocType, string]),
    ...needs.map((s) => ["need", s.slug] as [DocType, string]),
    ...people.map((s) => ["person", s.slug] as [DocType, string]),
  ];
  const keep = new Set(work.map(([t, s]) => `${t}:${s}`));
  let done = 0;
  for (let i = 0; i < work.length; i += batch) {
    const slice = work.slice(i, i + batch);
    await db.$transaction(
      async (tx) => {
        // read the batch's documents, then write them together (segmented on worker threads)
        const docs: SearchDocument[] = [];
        for (const [type, slug] of slice) {
          const doc = await buildDocument(tx, type, slug);
          if (doc) docs.push(doc);
          else await removeDocument(tx, `${type}:${slug}`);
        }
        await writeDocuments(tx, docs);
      },
      { timeout: 120_000 },
    );
    done += slice.length;
    onProgress?.({ done, total: work.length });
  }
  // documents whose record is gone
  const stale = (await db.searchDoc.findMany({ select: { id: true } })).filter((d) => !keep.has(d.id));
  if (stale.length) {
    await db.$transaction(async (tx) => {
      for (const d of stale) await removeDocument(tx, d.id);
    });
  }
  await recordAnalyzer(db);
  return { studio: studios.length, result: results.length, patent: patents.length, need: needs.length, person: people.length };
}

/** Notes that every stored search document was built by this version of the analyzer. */
export async function recordAnalyzer(db: Db): Promise<void> {
  const value = analyzerVersion();
  await db.searchMeta.upsert({ where: { key: "analyzer" }, create: { key: "analyzer", value }, update: { value } });
}

/**
 * Why the stored index cannot serve this code, or null when it can: it is empty while there is
 * content, or another version of the analyzer (segmentation rules, search/dict.txt) built it.
 */
export async function searchIndexOutdated(db: Db): Promise<string | null> {
  const [docs, content, meta] = await Promise.all([db.searchDoc.count(), db.studio.count(), db.searchMeta.findUnique({ where: { key: "analyzer" } })]);
  if (docs === 0) return content > 0 ? "the search index is empty" : null;
  if (!meta) return "the search index does not say which analyzer built it";
  if (meta.value !== analyzerVersion()) return `the search index was built by analyzer ${meta.value}, this code has ${analyzerVersion()}`;
  return null;
}
