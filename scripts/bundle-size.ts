// npm run bundle:size — the gzipped JavaScript a browser downloads for each page, from the build's
// manifest (entry + root + the page's route module and their shared chunks, plus the manifest).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

interface RouteEntry {
  module: string;
  imports?: string[];
}
interface Manifest {
  entry: RouteEntry;
  routes: Record<string, RouteEntry & { path?: string; parentId?: string }>;
  url: string;
}

const dir = "public/build";
const file = readdirSync(dir).find((f) => /^manifest-.*\.js$/.test(f));
if (!file) {
  console.error("no build found: run `npm run build` first");
  process.exit(1);
}
const src = readFileSync(path.join(dir, file), "utf8");
const manifest = JSON.parse(src.slice(src.indexOf("{"), src.lastIndexOf("}") + 1)) as Manifest;
const gz = (url: string) => gzipSync(readFileSync(path.join("public", url))).length;

function pageWeight(routeId: string) {
  const files = new Set<string>([manifest.entry.module, ...(manifest.entry.imports ?? [])]);
  for (let id: string | undefined = routeId; id; id = manifest.routes[id]?.parentId) {
    const r = manifest.routes[id];
    files.add(r.module);
    (r.imports ?? []).forEach((f) => files.add(f));
  }
  let total = gzipSync(src).length;
  for (const f of files) total += gz(f);
  return { files: files.size + 1, total };
}

const pages: [string, string][] = [
  ["home /", "routes/_index"],
  ["studio directory /studios", "routes/studios._index"],
  ["studio page /studios/:slug", "routes/studios.$slug"],
  ["result page /results/:slug", "routes/results.$slug"],
  ["patent list /patents", "routes/patents._index"],
  ["needs list /needs", "routes/needs._index"],
  ...Object.keys(manifest.routes)
    .filter((id) => /edit|new/.test(id))
    .map((id) => [`${id.replace("routes/", "")} (edit page)`, id] as [string, string]),
];
console.log("page".padEnd(40), "files", "gzipped JS");
for (const [label, id] of pages) {
  if (!manifest.routes[id]) continue;
  const { files, total } = pageWeight(id);
  console.log(label.padEnd(40), String(files).padStart(5), `${(total / 1024).toFixed(1).padStart(7)} KB`);
}
