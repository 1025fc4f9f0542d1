import { EmbeddedEngine } from "../search/embedded.server";
const e = new EmbeddedEngine("data/hub.db");
const qs = process.argv.slice(2);
for (const q of qs) {
  const r = await e.search({ q });
  console.log(`\n## ${q}  total=${r.total} took=${r.tookMs}ms suggestion=${r.suggestion}`);
  for (const h of r.hits.slice(0, 5)) console.log(`  ${h.type} ${h.title} | ${h.snippet.slice(0, 90)}`);
}
