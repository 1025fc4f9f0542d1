// npm run search:reindex — rebuild every search document (and, with MEILI_HOST, the Meilisearch index).
import { createDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { MeilisearchEngine } from "../search/meilisearch.server";
import { reindexMeilisearch } from "../search/meilisearch-reindex.server";
import { reindexAll } from "../app/models/search/reindex.server";
import { migrate } from "./migrate";

await migrate();
const env = getEnv();
const db = createDb(env.databaseFile);
const tty = process.stdout.isTTY;

function bar(label: string, done: number, total: number) {
  const width = 30;
  const filled = Math.round((done / Math.max(1, total)) * width);
  const line = `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`;
  if (tty) process.stdout.write(`\r${line}`);
  else console.log(line);
}

let started = performance.now();
const counts = await reindexAll(db, ({ done, total }) => bar("embedded   ", done, total));
if (tty) process.stdout.write("\n");
let secs = (performance.now() - started) / 1000;
const total = Object.values(counts).reduce((a, b) => a + b, 0);
console.log(
  `embedded index: ${total} documents (${Object.entries(counts)
    .map(([k, v]) => `${v} ${k}s`)
    .join(", ")}) in ${secs.toFixed(1)} s`,
);

let failed = false;
if (env.MEILI_HOST) {
  started = performance.now();
  const engine = new MeilisearchEngine({ host: env.MEILI_HOST, apiKey: env.MEILI_API_KEY }, db);
  try {
    const s = await reindexMeilisearch(db, engine, { onProgress: ({ done, total }) => bar("meilisearch", done, total) });
    if (tty) process.stdout.write("\n");
    secs = (performance.now() - started) / 1000;
    console.log(
      `meilisearch index "${s.index}" at ${env.MEILI_HOST}: ${s.documents} documents in ${s.batches} batch(es), built as "${s.builtAs}" and swapped in, in ${secs.toFixed(1)} s` +
        (s.caughtUp ? `; ${s.caughtUp} document(s) changed meanwhile delivered again` : "") +
        (s.clearedOutbox ? `; ${s.clearedOutbox} queued change(s) made redundant` : "") +
        (s.removedStale.length ? `; removed leftovers ${s.removedStale.join(", ")}` : ""),
    );
  } catch (e) {
    if (tty) process.stdout.write("\n");
    console.error(`meilisearch reindex failed (the live index is unchanged): ${e instanceof Error ? e.message : String(e)}`);
    failed = true;
  }
} else {
  console.log("meilisearch: MEILI_HOST is not set, only the embedded index was rebuilt");
}
await db.$disconnect();
if (failed) process.exit(1);
