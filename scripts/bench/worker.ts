// One measurement of `npm run bench`, run in a process of its own so that its memory (RSS) and
// timings are not mixed with another engine's. Prints one line `RESULT {json}` at the end.
//
//   node --import tsx scripts/bench/worker.ts '{"job":"embedded","file":"…","rounds":10}'

import Database from "better-sqlite3";
import { createDb } from "~/utils/db.server";
import { EmbeddedEngine } from "../../search/embedded.server";
import type { SearchDocument } from "../../search/engine";
import { termsPool } from "../../search/terms-pool.server";
import { writeDocument, writeDocuments } from "../../app/models/search/sync.server";
import { likeSearch, MiniSearchBaseline, type BaselineDoc } from "./baselines";
import { buildVocab, CorpusGenerator } from "./corpus";
import { TIMED_QUERIES, type TimedQuery } from "./queries";

export type Job =
  | { job: "build"; file: string; size: number; batch?: number; oneByOne?: boolean }
  | { job: "embedded"; file: string; rounds: number }
  | { job: "like"; file: string; rounds: number }
  | { job: "minisearch"; file: string; rounds: number };

export interface Timing {
  q: string;
  class: TimedQuery["class"];
  filtered: boolean;
  total: number;
  ms: number[];
}

export interface QueryRun {
  timings: Timing[];
  rssBytes: number;
}

/** Resident memory after a full garbage collection (workers run with --expose-gc). */
const rss = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
};

/** Warms up with one round, then runs the whole query set `rounds` times. */
async function timeQueries(rounds: number, run: (t: TimedQuery) => Promise<number> | number): Promise<Timing[]> {
  for (const t of TIMED_QUERIES) await run(t);
  const timings: Timing[] = TIMED_QUERIES.map((t) => ({ q: t.q, class: t.class, filtered: Boolean(t.filters), total: 0, ms: [] }));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < TIMED_QUERIES.length; i++) {
      const started = performance.now();
      timings[i].total = await run(TIMED_QUERIES[i]);
      timings[i].ms.push(performance.now() - started);
    }
  }
  return timings;
}

/** The corpus through writeDocuments (what `npm run search:reindex` uses), or writeDocument one by one. */
async function build(file: string, size: number, batchSize: number, oneByOne: boolean) {
  const db = createDb(file);
  const generator = new CorpusGenerator(buildVocab("content"), size);
  let writeMs = 0,
    generateMs = 0,
    chars = 0;
  while (!generator.done) {
    let started = performance.now();
    const batch: SearchDocument[] = [];
    while (!generator.done && batch.length < batchSize) {
      const doc = generator.next();
      chars += doc.title.length + doc.keywords.length + doc.body.length;
      batch.push(doc);
    }
    generateMs += performance.now() - started;
    // the timed part: the real write path, one Prisma transaction per batch
    started = performance.now();
    await db.$transaction(
      async (tx) => {
        if (oneByOne) for (const doc of batch) await writeDocument(tx, doc);
        else await writeDocuments(tx, batch);
      },
      { timeout: 600_000, maxWait: 60_000 },
    );
    writeMs += performance.now() - started;
  }
  await db.$disconnect();
  const pool = oneByOne ? null : await termsPool();
  return { size, writeMs, generateMs, avgChars: chars / size, workers: pool?.size ?? 0 };
}

async function embedded(file: string, rounds: number) {
  let started = performance.now();
  // without the result cache: every timed query is computed
  const engine = new EmbeddedEngine(file, { cache: false });
  await engine.sync(); // (a promise on PostgreSQL)
  const loadMs = performance.now() - started;
  const rssAfterLoad = rss();
  const timings = await timeQueries(rounds, async (t) => (await engine.search({ q: t.q, filters: t.filters, perPage: 10 })).total);
  const rssBytes = rss();

  // a change published through the real write path is searchable in the very next request
  const db = createDb(file);
  await db.searchDoc.count(); // (connect first: the first Prisma query pays for start-up)
  const token = `zqv${Date.now().toString(36)}`;
  const doc: SearchDocument = {
    id: `result:bench-publish-${token}`,
    type: "result",
    slug: `bench-publish-${token}`,
    url: `/results/bench-publish-${token}`,
    title: `发布即搜验证 ${token}`,
    keywords: "验证",
    body: `刚发布的成果，正文含有唯一标记 ${token}。`,
    studio: null,
    studioSlug: null,
    enterprise: null,
    industry: null,
    kind: "other",
    level: null,
    date: "2026-01-01",
    illustrative: true,
  };
  started = performance.now();
  await db.$transaction(async (tx) => writeDocument(tx, doc));
  const commitMs = performance.now() - started;
  started = performance.now();
  const res = await engine.search({ q: token });
  const searchMs = performance.now() - started;
  const found = res.hits.some((h) => h.slug === doc.slug);
  await db.$transaction(async (tx) => {
    await tx.searchDoc.deleteMany({ where: { id: doc.id } });
  });
  await db.$disconnect();
  engine.close();
  return { loadMs, rssAfterLoad, rssBytes, timings, publish: { found, commitMs, searchMs } };
}

function readDocs(file: string): BaselineDoc[] {
  const sqlite = new Database(file, { readonly: true });
  const docs = sqlite.prepare(`SELECT id, type, title, keywords, body, studio, enterprise, industry, kind, level, date FROM SearchDoc`).all() as BaselineDoc[];
  sqlite.close();
  return docs;
}

async function like(file: string, rounds: number) {
  const sqlite = new Database(file, { readonly: true });
  const timings = await timeQueries(rounds, (t) => likeSearch(sqlite, t.q, t.filters).total);
  const rssBytes = rss();
  sqlite.close();
  return { timings, rssBytes };
}

async function minisearch(file: string, rounds: number) {
  let docs: BaselineDoc[] | null = readDocs(file);
  const count = docs.length;
  const started = performance.now();
  const mini = new MiniSearchBaseline();
  mini.add(docs);
  const buildMs = performance.now() - started;
  docs = null; // minisearch keeps only its index and the stored facet fields
  const timings = await timeQueries(rounds, (t) => mini.search(t.q, t.filters).total);
  return { buildMs, docs: count, rssBytes: rss(), timings };
}

const job = JSON.parse(process.argv[2] ?? "{}") as Job;
const result =
  job.job === "build"
    ? await build(job.file, job.size, job.batch ?? 5000, job.oneByOne ?? false)
    : job.job === "embedded"
      ? await embedded(job.file, job.rounds)
      : job.job === "like"
        ? await like(job.file, job.rounds)
        : job.job === "minisearch"
          ? await minisearch(job.file, job.rounds)
          : (() => {
              throw new Error(`unknown job ${JSON.stringify(job)}`);
            })();
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
