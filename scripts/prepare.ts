// Before the server starts (scripts/start.mjs runs this in a process of its own, which ends before
// the server starts, so none of what the import loads stays in memory beside the server): migrate,
// import content/ when the database is empty, prepare the demo accounts, build if needed.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { formatReport, importContent } from "~/models/content-import.server";
import { prepareAccounts } from "~/models/demo.server";
import { ensureDemoNeeds } from "~/models/demo-needs.server";
import { isPublicDeployment, publicUrl } from "~/utils/deployment.server";
import { createDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { recordAnalyzer, reindexAll, searchIndexOutdated } from "../app/models/search/reindex.server";
import { migrate } from "./migrate";

const env = getEnv();
let publicDeployment: boolean;
try {
  publicDeployment = isPublicDeployment();
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
if (!publicUrl()) {
  console.warn(`PUBLIC_URL is not set: links in mail point at http://localhost:${env.PORT}. Set it wherever other people reach the site.`);
}
await migrate();

const db = createDb(env.databaseFile);
const freshDatabase = (await db.studio.count()) === 0;
if (freshDatabase) {
  console.log("database is empty: importing content/");
  const report = await importContent(db, path.resolve("content"));
  console.log(formatReport(report));
  if (!report.ok) process.exit(1);
  // the import wrote every search document with this code's analyzer
  await recordAnalyzer(db);
} else {
  // a database from before the search documents existed, or from another version of the
  // analyzer (a changed search/dict.txt): its stored terms would not match this code's queries
  const why = await searchIndexOutdated(db);
  if (why) {
    console.log(`${why}: rebuilding the search index…`);
    const started = Date.now();
    const counts = await reindexAll(db);
    console.log(`search index: ${Object.values(counts).reduce((a, b) => a + b, 0)} documents in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}
for (const line of await prepareAccounts(db, { publicDeployment, freshDatabase, demoAccounts: process.env.DEMO_ACCOUNTS !== "0" })) {
  (line.startsWith("WARNING") ? console.warn : console.log)(line);
}
if (freshDatabase && !publicDeployment && process.env.DEMO_ACCOUNTS !== "0") {
  // through the loop's own model, which writes to DATABASE_URL: the file opened above
  const needs = await ensureDemoNeeds();
  if (needs) console.log(`demo needs: ${needs} posted, one in each state of the loop`);
}
await db.$disconnect();

if (!process.argv.includes("--no-build") && needsBuild()) {
  console.log("building…");
  const r = spawnSync("node_modules/.bin/remix", ["build"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function needsBuild(): boolean {
  const out = "build/index.js";
  if (!existsSync(out)) return true;
  const built = statSync(out).mtimeMs;
  return ["app", "search", "remix.config.js", "package.json"].some((p) => newerThan(p, built));
}

function newerThan(p: string, t: number): boolean {
  if (!existsSync(p)) return false;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs > t;
  return readdirSync(p).some((name) => name !== "generated" && newerThan(path.join(p, name), t));
}
