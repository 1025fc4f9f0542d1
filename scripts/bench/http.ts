// /api/search over HTTP: the built app served by the production server (server.mjs, one process
// per core) on 127.0.0.1, loaded by autocannon with 16 concurrent connections.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import autocannon from "autocannon";
import { summarize } from "./util";

/** Newest modification time under the folders the server build is made from. */
function newest(dirs: string[]): number {
  let max = 0;
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules" && !e.name.startsWith(".")) walk(p);
      } else max = Math.max(max, statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return max;
}

/** Runs `remix build` when build/index.js is missing or older than the sources. */
export function ensureBuild(log: (s: string) => void): { built: boolean } {
  const out = "build/index.js";
  if (existsSync(out) && statSync(out).mtimeMs >= newest(["app", "search", "public"])) return { built: false };
  log("building the app (remix build) …");
  const r = spawnSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "build"], { encoding: "utf8", env: { ...process.env, NODE_ENV: "production" } });
  if (r.status !== 0) throw new Error(`remix build failed:\n${r.stdout}\n${r.stderr}`);
  return { built: true };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  server: ChildProcess;
  base: string;
}

/**
 * Starts the production server (server.mjs) on a free 127.0.0.1 port with `processes` processes
 * on the given database, and resolves once every process listens.
 */
export async function startServer(databaseFile: string, processes: number, env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server: ChildProcess = spawn(process.execPath, ["server.mjs"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      WEB_CONCURRENCY: String(processes),
      DATABASE_URL: `file:${databaseFile}`,
      SESSION_SECRET: "bench-session-secret-not-for-production",
      PUBLIC_URL: base,
      MEILI_HOST: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  server.stderr!.on("data", (b) => (stderr += String(b)));
  server.stdout!.on("data", (b) => (stdout += String(b)));
  // each process loads the whole index before it listens
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited:\n${stderr}`);
    // the server says so once every process listens
    if (stdout.includes("Studio Alliance Hub on")) break;
    if (Date.now() > deadline) {
      await stopServer(server);
      throw new Error(`the server did not start in 60 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { server, base };
}

export async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  server.kill("SIGTERM");
  await new Promise((r) => {
    if (server.exitCode !== null) return r(null);
    const t = setTimeout(() => {
      server.kill("SIGKILL");
      r(null);
    }, 5000);
    server.once("exit", () => {
      clearTimeout(t);
      r(null);
    });
  });
}

export interface HttpRun {
  label: string;
  urls: number;
  connections: number;
  seconds: number;
  requests: number;
  throughput: number;
  errors: number;
  non2xx: number;
  latency: ReturnType<typeof summarize>;
}

export interface HttpResult {
  runs: HttpRun[];
  processes: number;
  warmupRequests: number;
  /** from starting the server to its first answer (/api/health, which loads the index) */
  readyMs: number;
  serverRssBytes: number | null;
}

/** Resident memory of a process and its children (the server's processes), from /proc. */
export function serverRss(pid: number): number | null {
  try {
    const rss = (p: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0) * 1024;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    return [pid, ...children].reduce((sum, p) => sum + rss(p), 0);
  } catch {
    return null;
  }
}

export async function httpBench(
  databaseFile: string,
  opts: {
    seconds: number;
    connections: number;
    /** server processes (WEB_CONCURRENCY) */
    processes: number;
    log: (s: string) => void;
    runs: { label: string; urls: string[] }[];
    /** requested for a few seconds before the runs, so every process has compiled its hot code */
    warmup: string[];
  },
): Promise<HttpResult> {
  const spawned = performance.now();
  const { server, base } = await startServer(databaseFile, opts.processes);
  try {
    const readyMs = performance.now() - spawned;
    const first = opts.runs[0].urls[0];
    const res = await fetch(base + first);
    if (res.status !== 200) throw new Error(`GET ${first} answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    let started: number;
    // warm up the code paths in every process, with queries that none of the runs asks
    opts.log(`HTTP: warming up (${opts.warmup.length} other queries, ${opts.connections} connections) …`);
    let w = 0;
    await autocannon({
      url: base,
      connections: opts.connections,
      amount: opts.warmup.length,
      requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: opts.warmup[w++ % opts.warmup.length] }) }],
    });

    const runs: HttpRun[] = [];
    for (const run of opts.runs) {
      opts.log(`HTTP: ${run.label}: ${opts.connections} connections for ${opts.seconds} s …`);
      let next = 0;
      const latencies: number[] = [];
      const instance = autocannon({
        url: base,
        connections: opts.connections,
        duration: opts.seconds,
        requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: run.urls[next++ % run.urls.length] }) }],
      });
      instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
      started = performance.now();
      const result = await instance;
      const seconds = (performance.now() - started) / 1000;
      runs.push({
        label: run.label,
        urls: run.urls.length,
        connections: opts.connections,
        seconds,
        requests: result.requests.total,
        throughput: result.requests.total / seconds,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
        latency: summarize(latencies),
      });
    }
    return { runs, processes: opts.processes, warmupRequests: opts.warmup.length, readyMs, serverRssBytes: server.pid ? serverRss(server.pid) : null };
  } finally {
    await stopServer(server);
  }
}
