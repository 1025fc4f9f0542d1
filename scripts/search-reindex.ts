// npm run search:reindex — rebuild every search document (and, with MEILI_HOST, the Meilisearch index).
import { createDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { reindexAll } from "../search/reindex.server";
import { migrate } from "./migrate";

migrate();
const env = getEnv();
const db = createDb(env.databaseFile);
const started = performance.now();
const tty = process.stdout.isTTY;
const counts = await reindexAll(db, ({ done, total }) => {
  const width = 30;
  const filled = Math.round((done / Math.max(1, total)) * width);
  const line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`;
  if (tty) process.stdout.write(`\r${line}`);
  else console.log(line);
});
if (tty) process.stdout.write("\n");
const secs = (performance.now() - started) / 1000;
const total = Object.values(counts).reduce((a, b) => a + b, 0);
console.log(`embedded index: ${total} documents (${Object.entries(counts).map(([k, v]) => `${v} ${k}s`).join(", ")}) in ${secs.toFixed(1)} s`);
await db.$disconnect();
