// npx tsx scripts/bench/peers-tune.ts — peers while tuning: the seed's tuning half and the xuchang
// corpus (the blind corpus meant for tuning), studio by studio. The corpora that only measure
// (luoyang, xinxiang) are never run here: `npm run bench -- --relevance` gives their aggregates.

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { importContent } from "~/models/content-import.server";
import { findPeers } from "~/models/peers.server";
import { createDb } from "~/utils/db.server";
import { peerQuality } from "./peers";
import { migratedDatabase, table } from "./util";

const SETS = [
  { name: "seed (tuning half)", content: "content", peers: "tests/relevance/peers.yaml", role: undefined },
  { name: "xuchang", content: "tests/relevance/xuchang", peers: "tests/relevance/xuchang/peers.yaml", role: "tune" as const },
];
const tmp = mkdtempSync(path.join(tmpdir(), "hub-peers-tune-"));
const f = (x: number) => x.toFixed(3);
const quiet = process.argv.includes("--quiet");
try {
  for (const s of SETS) {
    // --cache=<dir>: the imported databases are kept there and reused (the peers only read them)
    const cacheDir = process.argv.find((a) => a.startsWith("--cache="))?.slice("--cache=".length);
    const file = path.join(cacheDir ?? tmp, `${s.name.replace(/\W+/g, "-")}.db`);
    const fresh = !cacheDir || !existsSync(file);
    if (fresh) migratedDatabase(file);
    const db = createDb(file);
    if (fresh) {
      const report = await importContent(db, path.resolve(s.content));
      if (!report.ok) throw new Error(`importing ${s.content} failed`);
    }
    const q = await peerQuality(db, s.peers, findPeers, s.role);
    const rows = q.perStudio.filter((p) => p.split === "tune");
    const mean = (g: (p: (typeof rows)[number]) => number) => rows.reduce((a, p) => a + g(p), 0) / rows.length;
    console.log(
      `\n## ${s.name}: ${rows.length} studios, findPeers ${f(mean((p) => p.ndcg5))} vs baseline ${f(mean((p) => p.baseline))}; same enterprise ${q.sameEnterprise}, without reasons ${q.withoutReasons}\n`,
    );
    if (!quiet)
      console.log(
        table(
          ["studio", "findPeers", "baseline", "top 5 (grade)", "grade-3 missed"],
          [...rows]
            .sort((a, b) => a.ndcg5 - b.ndcg5)
            .map((p) => [p.studio, f(p.ndcg5), f(p.baseline), p.top5.map((t) => `${t.slug}(${t.grade})`).join(" "), p.missed.join(" ") || "—"]),
        ),
      );
    await db.$disconnect();
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
