// npm run bench -- --pages: every read page type on the seed content, served by the production server
// with two processes, 16 connections for a few seconds each, beside /api/health measured in the same
// run as the floor; then the same pages as an anonymous repeat visit (If-None-Match → 304), and the
// resident memory of each server process after the runs (issue 11).
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import autocannon from "autocannon";
import { importContent } from "~/models/content-import.server";
import { reindexAll } from "~/models/search/reindex.server";
import { createDb } from "~/utils/db.server";
import { ensureBuild, startServer, stopServer } from "./http";
import { vocabulary, writeSyntheticStudios } from "./peers";
import { int, migratedDatabase, ms, summarize, table } from "./util";

interface PageRun {
  label: string;
  url: string;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  bytes: number;
  non2xx: number;
  /** share of the answers that were 304 */
  notModified: number;
}

async function pageUrls(file: string): Promise<[string, string][]> {
  const db = createDb(file);
  try {
    const first = async <T extends { slug: string }>(rows: Promise<T[]>) => (await rows)[0]?.slug ?? "missing";
    const studio = await first(db.studio.findMany({ orderBy: { slug: "asc" }, take: 1, select: { slug: true } }));
    const result = await first(db.result.findMany({ where: { published: true, visibility: "public" }, orderBy: { slug: "asc" }, take: 1, select: { slug: true } }));
    const patent = await first(db.patent.findMany({ orderBy: { slug: "asc" }, take: 1, select: { slug: true } }));
    const need = await first(db.need.findMany({ where: { visibility: "public" }, orderBy: { slug: "asc" }, take: 1, select: { slug: true } }));
    const enterprise = await first(db.enterprise.findMany({ orderBy: { slug: "asc" }, take: 1, select: { slug: true } }));
    const person = await first(db.person.findMany({ orderBy: { slug: "asc" }, take: 1, select: { slug: true } }));
    return [
      ["floor: /api/health", "/api/health"],
      ["home", "/"],
      ["studios list", "/studios"],
      ["studio page", `/studios/${studio}`],
      ["results list", "/results"],
      ["result page", `/results/${result}`],
      ["patents list", "/patents"],
      ["patent page", `/patents/${patent}`],
      ["needs list", "/needs"],
      ["need page", `/needs/${need}`],
      ["enterprises list", "/enterprises"],
      ["enterprise page", `/enterprises/${enterprise}`],
      ["alliances list", "/alliances"],
      ["people list", "/people"],
      ["person page", `/people/${person}`],
      ["search page", `/search?q=${encodeURIComponent("仿真")}`],
      ["search API", `/api/search?q=${encodeURIComponent("仿真")}`],
    ];
  } finally {
    await db.$disconnect();
  }
}

async function run(base: string, label: string, url: string, seconds: number, headers: Record<string, string> = {}): Promise<PageRun> {
  const latencies: number[] = [];
  let bytes = 0;
  let answers = 0;
  let wrong = 0;
  let n304 = 0;
  const instance = autocannon({ url: base + url, connections: 16, duration: seconds, headers });
  instance.on("response", (_c: unknown, status: number, size: number, time: number) => {
    latencies.push(time);
    if (status === 304) n304++;
    else if (status !== 200) wrong++;
    bytes += size;
    answers++;
  });
  const result = await instance;
  const l = summarize(latencies);
  return {
    label,
    url,
    reqPerSec: result.requests.total / seconds,
    p50: l.p50,
    p95: l.p95,
    p99: l.p99,
    bytes: answers ? bytes / answers : 0,
    non2xx: wrong + result.errors + result.timeouts,
    notModified: answers ? n304 / answers : 0,
  };
}

/** Resident memory of each server process (the cluster's workers; the primary holds no app). */
function workerRss(pid: number): number[] {
  const rss = (p: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0) * 1024;
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  return (children.length ? children : [pid]).map(rss);
}

export async function pagesBench(tmp: string, o: { seconds: number; out: (s?: string) => void; log: (s: string) => void; scale?: boolean }) {
  const file = path.join(tmp, o.scale ? "pages-scale.db" : "pages.db");
  migratedDatabase(file);
  const db = createDb(file);
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(`importing content/ failed: ${JSON.stringify(report.problems).slice(0, 300)}`);
  let corpus = "seed content";
  if (o.scale) {
    // a province-sized hub: 10,000 synthetic studios of the peers bench, eight results each, indexed
    o.log("pages: writing 10,000 synthetic studios with 80,000 results …");
    const made = writeSyntheticStudios(file, await vocabulary(db), 10_000, 20261207, { resultsPerStudio: 8 });
    o.log("pages: indexing them for search …");
    const counts = await reindexAll(db);
    const documents = Object.values(counts).reduce((a, b) => a + b, 0);
    corpus = `${int(documents)} documents: the seed content and ${int(made.studios)} synthetic studios, ${int(made.results)} results, ${int(made.patents)} patents`;
  }
  await db.$disconnect();
  ensureBuild(o.log);
  const urls = await pageUrls(file);
  const heading = ["page", "URL", "req/s", "p50 ms", "p95 ms", "p99 ms", "bytes", "304s", "not 200/304"];
  const row = (r: PageRun) => [r.label, `\`${r.url}\``, int(r.reqPerSec), ms(r.p50), ms(r.p95), ms(r.p99), int(r.bytes), `${Math.round(r.notModified * 100)}%`, r.non2xx];

  // 1. every page rendered: the page cache off (PAGE_CACHE=0), as every signed-in page is
  const rendering = await startServer(file, 2, { PAGE_CACHE: "0" });
  let rendered: PageRun[];
  let renderedRss: number[];
  try {
    o.log(`pages: warming up ${urls.length} URLs …`);
    for (const [, url] of urls) await autocannon({ url: rendering.base + url, connections: 4, amount: 200 });
    rendered = [];
    for (const [label, url] of urls) {
      o.log(`pages (rendered): ${label} (${url}), 16 connections for ${o.seconds} s …`);
      rendered.push(await run(rendering.base, label, url, o.seconds));
    }
    renderedRss = rendering.server.pid ? workerRss(rendering.server.pid) : [];
  } finally {
    await stopServer(rendering.server);
  }

  // 2. as the site runs: a new anonymous visitor (no cookies) each request, pages kept between
  // database changes (app/utils/page-cache.server.ts); 3. a repeat visit with the page's tag
  const { server, base } = await startServer(file, 2);
  try {
    for (const [, url] of urls) await autocannon({ url: base + url, connections: 4, amount: 200 });
    const fresh: PageRun[] = [];
    for (const [label, url] of urls) {
      o.log(`pages (kept): ${label} (${url}), 16 connections for ${o.seconds} s …`);
      fresh.push(await run(base, label, url, o.seconds));
    }
    // an anonymous repeat visit: the same request with the tag the page was sent with
    const repeat: PageRun[] = [];
    for (const [label, url] of urls.filter(([, u]) => !u.startsWith("/api/"))) {
      // (node:http, not fetch: fetch adds an Accept-Language of its own, and the tag is the request's)
      const tag = await new Promise<string | undefined>((resolve, reject) =>
        http
          .get(base + url, (res) => {
            res.resume();
            resolve(res.headers.etag);
          })
          .on("error", reject),
      );
      if (!tag) continue;
      o.log(`pages: repeat visit to ${label} (If-None-Match) …`);
      repeat.push(await run(base, label, url, Math.max(2, Math.round(o.seconds / 2)), { "If-None-Match": tag }));
    }
    const rss = server.pid ? workerRss(server.pid) : [];
    o.out(`## Pages (${corpus}; two server processes, 16 connections)`);
    o.out();
    o.out("Every page rendered (`PAGE_CACHE=0`: loaders and React on every request, reads from the read cache; what every signed-in page costs):");
    o.out();
    o.out(table(heading, rendered.map(row)));
    o.out();
    o.out(`Resident memory per server process after these runs: ${renderedRss.map((b) => `${Math.round(b / 1e6)} MB`).join(", ")}.`);
    o.out();
    o.out("A new anonymous visitor every request (no cookies), as the site runs: pages kept between database changes, each answer with its own CSRF token and nonce:");
    o.out();
    o.out(table(heading, fresh.map(row)));
    o.out();
    o.out("Anonymous repeat visit (If-None-Match with the page's tag; answered 304 without rendering):");
    o.out();
    o.out(table(heading, repeat.map(row)));
    o.out();
    o.out(`Resident memory per server process after these runs: ${rss.map((b) => `${Math.round(b / 1e6)} MB`).join(", ")}.`);
    o.out();
    return { fresh, rendered, repeat, rss, renderedRss };
  } finally {
    await stopServer(server);
  }
}
