// What the site's synonym groups cost the embedded engine, at the 500-group limit:
//   DATABASE_URL=file:/tmp/syn.db npm run content:import -- content && npx tsx scripts/synonyms-cost.ts /tmp/syn.db
// Works on a copy of the given (migrated, imported) database; prints the time to build the synonym
// map, the first search after a change (which reloads the groups), and search p50/p95 without and
// with 500 groups (answer caches off).
import Database from "better-sqlite3";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { EmbeddedEngine } from "../search/embedded.server";
import { SYNONYMS_CHANGE, withSiteSynonyms } from "../search/synonyms";

const source = process.argv[2];
if (!source) {
  console.error("usage: npx tsx scripts/synonyms-cost.ts <a migrated database with content>");
  process.exit(2);
}
const dir = mkdtempSync(path.join(os.tmpdir(), "synonyms-cost-"));
const file = path.join(dir, "hub.db");
copyFileSync(source, file);
const raw = new Database(file);
raw.exec(`DELETE FROM SynonymGroup`);
const groups = Array.from({ length: 500 }, (_, i) => [`检漏${i}`, `泄漏检测${i}`, `leak${i}`]);

let t = performance.now();
for (let k = 0; k < 20; k++) withSiteSynonyms(groups);
console.log(`synonym map of 500 groups of 3 words: ${((performance.now() - t) / 20).toFixed(2)} ms`);

const engine = new EmbeddedEngine(file, { cache: false });
const QUERIES = ["仿真", "地铁 司机 培训", "变电站设备巡检机器人", "simulation", "节约人工成本", "轮对", "焊接机器人", "漏损"];
async function time(label: string) {
  for (const q of QUERIES) await engine.search({ q });
  const samples: number[] = [];
  for (let r = 0; r < 30; r++) {
    for (const q of QUERIES) {
      const s = performance.now();
      await engine.search({ q });
      samples.push(performance.now() - s);
    }
  }
  samples.sort((a, b) => a - b);
  const at = (p: number) => samples[Math.floor(samples.length * p)].toFixed(2);
  console.log(`${label}: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms over ${samples.length} searches`);
}

await time("search, no site groups");
const insert = raw.prepare(`INSERT INTO SynonymGroup (id, words, updatedAt) VALUES (?, ?, ?)`);
raw.transaction(() => {
  groups.forEach((g, i) => insert.run(`g${i}`, JSON.stringify(g), new Date().toISOString()));
  raw.prepare(`INSERT INTO SearchChange (docId, createdAt) VALUES (?, ?)`).run(SYNONYMS_CHANGE, new Date().toISOString());
})();
t = performance.now();
await engine.search({ q: "仿真" });
console.log(`first search after the change (reloads the groups): ${(performance.now() - t).toFixed(2)} ms`);
await time("search, 500 site groups");
engine.close();
raw.close();
rmSync(dir, { recursive: true, force: true });
