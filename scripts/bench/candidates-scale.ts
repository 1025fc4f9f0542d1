// npx tsx scripts/bench/candidates-scale.ts [--size=10000] [--calls=60] [--db=<file>]
// findCandidates among many studios: the seed content plus `size` synthetic studios (the peers
// bench's generator, scripts/bench/peers.ts), every seed need asked in turn. Prints the first call
// (it builds the evidence index), p50/p95 of the rest, and the first call after a studio changes.
// --db=<file>: the synthetic database is kept in that file, and used again when it exists.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { summarize, ms, table, migratedDatabase } from "./util";
import { vocabulary, writeSyntheticStudios } from "./peers";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const size = Number(arg("size") ?? 10_000);
const calls = Number(arg("calls") ?? 60);
const tmp = mkdtempSync(path.join(tmpdir(), "hub-cand-scale-"));
process.env.DATABASE_URL ??= `file:${path.join(tmp, "unused.db")}`;
process.env.SESSION_SECRET ??= "bench-session-secret-0123456789";
const { createDb } = await import("~/utils/db.server");
const { importContent } = await import("~/models/content-import.server");
const { findCandidates } = await import("~/models/candidates.server");
const { evidenceIndex } = await import("~/models/candidates/evidence.server");
try {
  const file = arg("db") ?? path.join(tmp, "synthetic.db");
  const reuse = existsSync(file);
  if (!reuse) migratedDatabase(file);
  const db = createDb(file);
  if (!reuse) {
    const report = await importContent(db, path.resolve("content"));
    if (!report.ok) throw new Error("importing content/ failed");
    writeSyntheticStudios(file, await vocabulary(db), size);
  }
  const made = { studios: await db.studio.count(), results: await db.result.count() };
  const needs = (await db.need.findMany({ select: { slug: true }, orderBy: { slug: "asc" } })).map((n) => n.slug);
  let t = performance.now();
  await findCandidates(needs[0], { db });
  const firstMs = performance.now() - t;
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    t = performance.now();
    await findCandidates(needs[i % needs.length], { db });
    times.push(performance.now() - t);
  }
  const s = summarize(times);
  const studio = await db.studio.findFirstOrThrow({ orderBy: { slug: "asc" } });
  await db.studio.update({ where: { id: studio.id }, data: { specialties: JSON.stringify(["变频调速", "堆垛机"]) } });
  const old = await evidenceIndex(db);
  t = performance.now();
  await findCandidates(needs[1], { db });
  const afterWrite = performance.now() - t;
  // the rebuild runs in the background (a build this slow): how long until the new index answers
  while ((await evidenceIndex(db)) === old) await new Promise((r) => setTimeout(r, 50));
  const rebuilt = performance.now() - t;
  console.log(`\n## findCandidates among ${made.studios.toLocaleString("en-US")} studios, seed and synthetic (${made.results.toLocaleString("en-US")} results)\n`);
  console.log(
    table(
      ["measure", "ms"],
      [
        ["first call (builds the evidence index)", ms(firstMs)],
        [`p50 of ${calls} calls (${needs.length} needs in turn)`, ms(s.p50)],
        ["p95", ms(s.p95)],
        ["first call after a studio changed (the previous index answers)", ms(afterWrite)],
        ["until the rebuilt index answers (one studio changed)", ms(rebuilt)],
      ],
    ),
  );
  await db.$disconnect();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
