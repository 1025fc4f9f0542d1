// npm run bench -- --db=postgresql://user@host:port/postgres [--size=N] [--quick]
//
// The write path and search sections of the bench on PostgreSQL, beside the same measurements on
// SQLite (docs/decisions/0027-postgresql.md): documents through writeDocuments (the path of
// `npm run search:reindex`, batches of 5,000 in one transaction each), the embedded engine's load
// and query latency over the fixed query set, a published change found by the next search, and
// /api/search over HTTP against two servers at once (server.mjs twice, one process each, separate
// ports and data folders: for PostgreSQL two servers sharing only the URL, for SQLite two servers
// on one file). The URL names a server where the bench may create and drop databases of its own
// (hub_bench_*); nothing else on it is touched.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { buildVocab } from "./corpus";
import { ensureBuild, startServer, stopServer, type RunningServer } from "./http";
import { distinctQueryUrls, queryUrl, TIMED_QUERIES, warmupUrls } from "./queries";
import { int, migratedDatabase, ms, summarize, table } from "./util";
import type { Job, Timing } from "./worker";

interface BuildResult {
  writeMs: number;
  avgChars: number;
}
interface EmbeddedResult {
  loadMs: number;
  timings: Timing[];
  publish: { found: boolean; commitMs: number; searchMs: number };
}
interface TwoServerRun {
  label: string;
  requests: number;
  throughput: number;
  errors: number;
  latency: ReturnType<typeof summarize>;
}
interface Outcome {
  database: "SQLite" | "PostgreSQL";
  size: number;
  build: BuildResult;
  embedded: EmbeddedResult;
  http: TwoServerRun[];
}

type RunWorker = <T>(job: Job) => Promise<T>;

async function admin<T>(serverUrl: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** An empty, migrated database on the server; returns its URL. */
async function migratedPostgres(serverUrl: string, name: string): Promise<string> {
  await admin(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const url = withDatabase(serverUrl, name);
  const r = spawnSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`migrating ${name} failed:\n${r.stdout}\n${r.stderr}`);
  return url;
}

/** /api/search on two servers at once: half the connections each, every latency in one list. */
async function twoServers(
  databaseUrl: string,
  tmp: string,
  o: { seconds: number; connections: number; log: (s: string) => void },
  runs: { label: string; urls: string[] }[],
  warmup: string[],
): Promise<TwoServerRun[]> {
  const servers: RunningServer[] = [];
  try {
    for (const name of ["a", "b"]) {
      const dataDir = mkdtempSync(path.join(tmp, `server-${name}-`));
      servers.push(await startServer("", 1, { DATABASE_URL: /^postgres(ql)?:\/\//.test(databaseUrl) ? databaseUrl : `file:${databaseUrl}`, DATA_DIR: dataDir }));
    }
    const each = Math.max(1, Math.floor(o.connections / servers.length));
    const load = (urls: string[], opts: { duration?: number; amount?: number }, latencies: number[]) =>
      Promise.all(
        servers.map(({ base }, i) => {
          let next = i;
          const instance = autocannon({
            url: base,
            connections: each,
            ...opts,
            requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: urls[(next += servers.length) % urls.length] }) }],
          });
          instance.on("response", (_c: unknown, _s: number, _b: number, t: number) => latencies.push(t));
          return instance;
        }),
      );
    o.log(`two servers: warming up (${warmup.length} queries) …`);
    await load(warmup, { amount: warmup.length }, []);
    const out: TwoServerRun[] = [];
    for (const run of runs) {
      o.log(`two servers: ${run.label}: ${each * servers.length} connections for ${o.seconds} s …`);
      const latencies: number[] = [];
      const started = performance.now();
      const results = await load(run.urls, { duration: o.seconds }, latencies);
      const seconds = (performance.now() - started) / 1000;
      const requests = results.reduce((n, r) => n + r.requests.total, 0);
      out.push({
        label: run.label,
        requests,
        throughput: requests / seconds,
        errors: results.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0),
        latency: summarize(latencies),
      });
    }
    return out;
  } finally {
    for (const s of servers) await stopServer(s.server);
  }
}

async function measure(
  database: Outcome["database"],
  url: string,
  size: number,
  tmp: string,
  o: { quick: boolean; seconds: number; runWorker: RunWorker; log: (s: string) => void },
): Promise<Outcome> {
  o.log(`${database}, ${int(size)} documents: writing through writeDocuments …`);
  const build = await o.runWorker<BuildResult>({ job: "build", file: url, size });
  o.log(`${database}, ${int(size)} documents: embedded engine (load + queries) …`);
  const embedded = await o.runWorker<EmbeddedResult>({ job: "embedded", file: url, rounds: o.quick ? 5 : 10 });
  const vocab = buildVocab("content");
  const words = [...new Set(vocab.industries.flatMap((i) => i.tags))];
  const http = await twoServers(
    url,
    tmp,
    { seconds: o.seconds, connections: 16, log: o.log },
    [
      { label: "rotating timed queries", urls: TIMED_QUERIES.map(queryUrl) },
      {
        label: "no query repeated",
        urls: distinctQueryUrls(
          words,
          vocab.industries.map((i) => i.key),
          50_000,
        ),
      },
    ],
    warmupUrls(words, 300),
  );
  return { database, size, build, embedded, http };
}

export async function postgresBench(
  serverUrl: string,
  o: { sizes: number[]; quick: boolean; tmp: string; runWorker: RunWorker; out: (s?: string) => void; log: (s: string) => void },
): Promise<void> {
  ensureBuild(o.log);
  const seconds = o.quick ? 5 : 10;
  const created: string[] = [];
  try {
    for (const size of o.sizes) {
      const sqliteFile = path.join(o.tmp, `pg-compare-${size}.db`);
      migratedDatabase(sqliteFile);
      const sqlite = await measure("SQLite", sqliteFile, size, o.tmp, { quick: o.quick, seconds, runWorker: o.runWorker, log: o.log });
      rmSync(sqliteFile, { force: true });
      const name = `hub_bench_${process.pid}_${size}`;
      created.push(name);
      const url = await migratedPostgres(serverUrl, name);
      const postgres = await measure("PostgreSQL", url, size, o.tmp, { quick: o.quick, seconds, runWorker: o.runWorker, log: o.log });
      print([sqlite, postgres], o.out);
    }
  } finally {
    for (const name of created) await admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
  }
}

function print(outcomes: Outcome[], out: (s?: string) => void) {
  const size = outcomes[0].size;
  out(`## PostgreSQL beside SQLite: ${int(size)} documents`);
  out();
  const row = (c: Outcome) => {
    const e = summarize(c.embedded.timings.flatMap((t) => t.ms));
    const [rotating, distinct] = c.http;
    return [
      c.database,
      `${int(c.size / (c.build.writeMs / 1000))} docs/s`,
      `${(c.embedded.loadMs / 1000).toFixed(1)} s`,
      ms(e.p50),
      ms(e.p95),
      c.embedded.publish.found ? `yes (${ms(c.embedded.publish.searchMs)} ms)` : "NO",
      `${ms(rotating.latency.p95)} ms (${int(rotating.throughput)} req/s${rotating.errors ? `, ${rotating.errors} errors` : ""})`,
      `${ms(distinct.latency.p95)} ms (${int(distinct.throughput)} req/s${distinct.errors ? `, ${distinct.errors} errors` : ""})`,
    ];
  };
  out(
    table(
      ["database", "write path", "engine load", "search p50 ms", "search p95 ms", "published → next search", "/api/search p95, two servers", "… no query repeated"],
      outcomes.map(row),
    ),
  );
  out();
  out(
    `Write path: documents through writeDocuments in batches of 5,000, one transaction each (generation not timed). Search: the embedded engine without its result cache over the ${TIMED_QUERIES.length} fixed queries with facets, in a process of its own. /api/search: two server.mjs processes (one process each, a port and data folder each) on the same database, 16 connections split between them, latencies of both in one percentile.`,
  );
  out();
}
