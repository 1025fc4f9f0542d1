// npx tsx scripts/bench/peers-run.ts [--size=10000] [--calls=200] [--keep]
// Runs the peers bench on its own and prints its tables (scripts/bench/peers.ts); --latency-only
// leaves out the seed's quality table (npm run bench prints it per corpus and split).

import { benchPeers } from "./peers";
import { ms, table } from "./util";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const size = Number(arg("size") ?? 10_000);
const calls = Number(arg("calls") ?? 200);

const r = await benchPeers({ size, calls, keep: process.argv.includes("--keep") });
const f = (x: number) => x.toFixed(3);

if (!process.argv.includes("--latency-only")) {
  console.log(`\n## Peer matching on the seed content (${r.perStudio.length} judged studios, tests/relevance/peers.yaml)\n`);
  console.log(
    table(
      ["ranking", "nDCG@5"],
      [
        ["findPeers", f(r.ndcg5)],
        ["baseline: TF-IDF cosine + industry bonus", f(r.baselineNdcg5)],
      ],
    ),
  );
  console.log(`\nsame-enterprise peers shown: ${r.sameEnterprise}; peers without a reason: ${r.withoutReasons} (both must be 0)`);

  console.log(`\n### Studios, worst first\n`);
  console.log(
    table(
      ["studio", "findPeers", "baseline", "top 5 (grade)", "grade-3 peers missed"],
      [...r.perStudio]
        .sort((a, b) => a.ndcg5 - b.ndcg5 || a.studio.localeCompare(b.studio))
        .map((p) => [p.studio, f(p.ndcg5), f(p.baseline), p.top5.map((t) => `${t.slug}(${t.grade})`).join(" "), p.missed.join(" ") || "—"]),
    ),
  );
}

const l = r.latency;
console.log(
  `\n## findPeers latency among ${l.studios.toLocaleString("en-US")} studios (${l.enterprises.toLocaleString("en-US")} synthetic enterprises, ${l.results.toLocaleString("en-US")} results)\n`,
);
console.log(
  table(
    ["measure", "ms"],
    [
      ["first call (builds the index)", ms(l.firstMs)],
      [`p50 of ${l.calls} calls`, ms(l.p50)],
      ["p95 (target ≤ 50)", ms(l.p95)],
      ["p99", ms(l.p99)],
      ["max", ms(l.max)],
      ["p50 right after an unrelated write (a login, a notification)", ms(l.afterWriteP50)],
    ],
  ),
);
const ok = r.ndcg5 >= 0.9 && l.p95 <= 50 && r.sameEnterprise === 0 && r.withoutReasons === 0;
console.log(`\n${ok ? "targets met" : "targets NOT met"}: nDCG@5 ≥ 0.90, p95 ≤ 50 ms, no same-enterprise peer, every peer with a reason`);
