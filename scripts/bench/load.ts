// The mixed workload: the built production server with two processes (WEB_CONCURRENCY=2) on a
// fresh database of its own with the seed content, and 200 concurrent clients — half anonymous
// readers, half signed in as studio admins — doing what people do: page views, the search page,
// /api/search and /api/suggest as they type, and writes (new patents, result edits carrying the
// version the edit page gave them, updates to a joint project of their alliance) with the CSRF
// token from the page, as the browser sends it.
// Afterwards every write the server acknowledged is looked up in the database.
//
//   npx tsx scripts/bench/load.ts [--seconds=60] [--quick] [--clients=200] [--accounts=20] [--keep]
//   npm run bench -- --load [--quick]
//
// --quick runs 15 s. Only 127.0.0.1; every request has a 30 s timeout and no client starts a
// request after the run's end, so the run is bounded in time.

import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { importContent } from "~/models/content-import.server";
import { createDb } from "~/utils/db.server";
import { parseList } from "~/utils/json";
import { hashPassword } from "~/utils/password.server";
import { ensureBuild, startServer, stopServer } from "./http";
import { int, migratedDatabase, ms, summarize, table } from "./util";

export interface LoadOptions {
  seconds: number;
  clients: number;
  accounts: number;
  processes: number;
  log: (s: string) => void;
}

const KINDS = ["page", "search page", "api/search", "api/suggest", "form page", "create patent", "edit result", "project update"] as const;
type Kind = (typeof KINDS)[number];

export interface LoadResult {
  options: Omit<LoadOptions, "log">;
  seconds: number;
  requests: number;
  /** no answer: refused, reset, or timed out */
  errors: number;
  errorSamples: string[];
  statuses: Record<string, number>;
  perKind: { kind: Kind; requests: number; statuses: Record<string, number>; latency: ReturnType<typeof summarize> }[];
  latency: ReturnType<typeof summarize>;
  writes: {
    patentsAcked: number;
    patentsPresent: number;
    patentsWrittenUnacked: number;
    editsAcked: number;
    editsPresent: number;
    editsStale: number;
    updatesAcked: number;
    updatesPresent: number;
    /** results whose final version is not their first version plus the acknowledged edits */
    versionMismatches: number;
  };
  serverErrors: string[];
}

const PASSWORD = "load-bench-password-2026";
const QUERIES = [
  "仿真",
  "地铁",
  "检测",
  "培训",
  "智能",
  "变电站",
  "信号",
  "焊接",
  "带电作业",
  "工作室",
  "数控",
  "节能",
  "城轨 信号",
  "模拟 培训",
  "轨道交通",
  "风电",
  "故障诊断",
  "机器人",
];
const PREFIXES = ["仿", "地", "地铁", "检", "智能", "变电", "信", "焊", "带电", "工", "数", "节", "轨道", "风", "故障", "机器"];
const LISTS = ["/", "/studios", "/results", "/patents", "/needs", "/enterprises", "/alliances"];

function body(text: string): string {
  return JSON.stringify({
    root: {
      type: "root",
      version: 1,
      direction: "ltr",
      format: "",
      indent: 0,
      children: [
        { type: "paragraph", version: 1, direction: "ltr", format: "", indent: 0, children: [{ type: "text", version: 1, text, format: 0, detail: 0, mode: "normal", style: "" }] },
      ],
    },
  });
}

interface EditableResult {
  slug: string;
  studio: string;
  firstVersion: number;
  fields: Record<string, string | string[]>;
}

/** The seed content in a fresh database, and `accounts` studio admins spread over the studios with results. */
async function prepare(file: string, accounts: number) {
  migratedDatabase(file);
  const db = createDb(file);
  try {
    const report = await importContent(db, "content");
    if (!report.ok) throw new Error(`importing content/ failed: ${JSON.stringify(report.problems).slice(0, 500)}`);
    const results = await db.result.findMany({
      where: { published: true },
      include: { studio: true, patents: { include: { patent: true } } },
      orderBy: { slug: "asc" },
    });
    const studios = [...new Set(results.map((r) => r.studio.slug))];
    const passwordHash = await hashPassword(PASSWORD);
    const users: { email: string; studio: string }[] = [];
    for (let i = 0; i < accounts; i++) {
      const studioSlug = studios[i % studios.length];
      const studio = await db.studio.findUniqueOrThrow({ where: { slug: studioSlug } });
      const email = `load-${i}@bench.example`;
      const user = await db.user.create({ data: { email, name: `压测管理员${i}`, role: "member", passwordHash, emailVerifiedAt: new Date() } });
      await db.membership.create({ data: { userId: user.id, studioId: studio.id, role: "admin" } });
      users.push({ email, studio: studioSlug });
    }
    const editable: EditableResult[] = results.map((r) => ({
      slug: r.slug,
      studio: r.studio.slug,
      firstVersion: r.version,
      fields: {
        studio: r.studio.slug,
        kind: r.kind,
        industry: r.industryKey,
        tags: parseList(r.tags).join("，"),
        benefits: parseList(r.benefits).join("\n"),
        status: r.status,
        adopters: parseList(r.adopters).join("\n"),
        year: String(r.year),
        awards: parseList(r.awards).join("\n"),
        visibility: r.visibility,
        patents: r.patents.map((p) => p.patent.number),
        body: r.body,
        title: r.title,
      },
    }));
    // one alliance of all the accounts' studios with one joint project, where they post updates
    const memberStudios = await db.studio.findMany({ where: { slug: { in: [...new Set(users.map((u) => u.studio))] } } });
    const alliance = await db.alliance.create({
      data: { slug: "load-bench-alliance", name: "压测联盟", theme: "负载测试", charter: body("负载测试用的联盟。"), charterText: "负载测试用的联盟。" },
    });
    for (const st of memberStudios) await db.allianceMember.create({ data: { allianceId: alliance.id, studioId: st.id, state: "accepted", respondedAt: new Date() } });
    const project = await db.jointProject.create({ data: { slug: "load-bench-project", allianceId: alliance.id, title: "压测联合项目", goals: "负载测试", status: "active" } });
    for (const [i, st] of memberStudios.entries()) await db.projectParticipant.create({ data: { projectId: project.id, studioId: st.id, role: i === 0 ? "lead" : "partner" } });
    const projectPath = `/alliances/${alliance.slug}/projects/${project.slug}`;
    const pages = [
      ...results.map((r) => `/results/${r.slug}`),
      ...(await db.studio.findMany({ select: { slug: true } })).map((s) => `/studios/${s.slug}`),
      ...(await db.patent.findMany({ select: { slug: true } })).map((p) => `/patents/${p.slug}`),
    ];
    return { users, editable, pages, projectPath };
  } finally {
    await db.$disconnect();
  }
}

class Jar {
  private cookies = new Map<string, string>();
  constructor(from?: Jar) {
    if (from) for (const [k, v] of from.cookies) this.cookies.set(k, v);
  }
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  has(name: string) {
    return this.cookies.has(name);
  }
}

const hiddenValue = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? null;

export async function loadBench(opts: LoadOptions, keep = false): Promise<LoadResult> {
  const tmp = mkdtempSync(path.join(tmpdir(), "hub-load-"));
  const file = path.join(tmp, "load.db");
  try {
    ensureBuild(opts.log);
    opts.log(`load: a fresh database with the seed content and ${opts.accounts} studio admins …`);
    const { users, editable, pages, projectPath } = await prepare(file, opts.accounts);
    opts.log(`load: starting the server with ${opts.processes} processes …`);
    const { server, base } = await startServer(file, opts.processes);
    let serverLog = "";
    server.stderr!.on("data", (b) => (serverLog += String(b)));
    try {
      return await run(base, opts, { users, editable, pages, projectPath }, file, () => serverLog);
    } finally {
      await stopServer(server);
    }
  } finally {
    if (keep) opts.log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

async function run(
  base: string,
  opts: LoadOptions,
  { users, editable, pages, projectPath }: Awaited<ReturnType<typeof prepare>>,
  file: string,
  serverLog: () => string,
): Promise<LoadResult> {
  const latencies = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
  const statuses = new Map<Kind, Record<string, number>>(KINDS.map((k) => [k, {}]));
  let errors = 0;
  const errorSamples: string[] = [];
  const origin = base;

  let inFlight = 0;
  async function request(kind: Kind, jar: Jar, pathname: string, form?: URLSearchParams): Promise<{ status: number; text: string; location: string | null } | null> {
    const started = performance.now();
    inFlight++;
    try {
      const res = await fetch(base + pathname, {
        method: form ? "POST" : "GET",
        headers: { Cookie: jar.header(), ...(form ? { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" } : {}) },
        body: form,
        redirect: "manual",
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      latencies.get(kind)!.push(performance.now() - started);
      const s = statuses.get(kind)!;
      s[res.status] = (s[res.status] ?? 0) + 1;
      jar.take(res);
      return { status: res.status, text, location: res.headers.get("Location") };
    } catch (e) {
      errors++;
      if (errorSamples.length < 5) errorSamples.push(`${kind} ${pathname}: ${e instanceof Error ? `${e.name}: ${e.message}${e.cause ? ` (${String(e.cause)})` : ""}` : String(e)}`);
      return null;
    } finally {
      inFlight--;
    }
  }

  // sign the accounts in through the login form, as a person would
  opts.log(`load: signing in ${users.length} accounts …`);
  const sessions: Jar[] = [];
  for (const u of users) {
    const jar = new Jar();
    const page = await fetch(`${base}/login`, { redirect: "manual" });
    jar.take(page);
    const token = hiddenValue(await page.text(), "csrf");
    if (!token) throw new Error("the login page has no csrf field");
    const res = await fetch(`${base}/login`, {
      method: "POST",
      headers: { Cookie: jar.header(), Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf: token, email: u.email, password: PASSWORD, redirectTo: "/account" }),
      redirect: "manual",
    });
    await res.arrayBuffer();
    if (res.status !== 302) throw new Error(`signing in ${u.email} answered ${res.status}`);
    jar.take(res);
    sessions.push(jar);
  }

  const acked = { patents: [] as string[], edits: [] as { slug: string; marker: string }[], stale: 0, updates: [] as string[] };
  let serial = 0;
  const runTag = Date.now().toString(36).toUpperCase();
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)];

  async function createPatent(jar: Jar, studio: string) {
    const page = await request("form page", jar, `/studios/${studio}/patents/new`);
    const token = page && page.status === 200 ? hiddenValue(page.text, "csrf") : null;
    if (!token) return;
    const n = ++serial;
    const number = `LB${runTag}${n}`.slice(0, 30);
    const form = new URLSearchParams({
      csrf: token,
      studio,
      version: "0",
      number,
      title: `负载测试专利 ${n}`,
      kind: "utility-model",
      status: "filed",
      filed: "2025-03-01",
      granted: "",
      body: body(`负载测试写入的专利摘要，编号 ${number}。`),
    });
    const res = await request("create patent", jar, `/studios/${studio}/patents/new`, form);
    if (res && res.status >= 200 && res.status < 400) acked.patents.push(number);
  }

  async function editResult(jar: Jar, result: EditableResult) {
    const page = await request("form page", jar, `/results/${result.slug}/edit`);
    if (!page || page.status !== 200) return;
    const token = hiddenValue(page.text, "csrf");
    const version = hiddenValue(page.text, "version");
    if (!token || version === null) return;
    const marker = `[LT${++serial}]`;
    const form = new URLSearchParams({ csrf: token, version, intent: "publish" });
    for (const [k, v] of Object.entries(result.fields)) {
      if (k === "title") form.set("title", `${String(v).slice(0, 100)} ${marker}`);
      else if (Array.isArray(v)) for (const x of v) form.append(k, x);
      else form.set(k, v);
    }
    const res = await request("edit result", jar, `/results/${result.slug}/edit`, form);
    if (!res) return;
    if (res.status >= 200 && res.status < 400) acked.edits.push({ slug: result.slug, marker });
    else if (res.status === 409) acked.stale++;
  }

  async function postUpdate(jar: Jar) {
    const page = await request("form page", jar, projectPath);
    const token = page && page.status === 200 ? hiddenValue(page.text, "csrf") : null;
    if (!token) return;
    const marker = `[LU${++serial}]`;
    const res = await request("project update", jar, projectPath, new URLSearchParams({ csrf: token, intent: "update", text: `本周进展：完成巡检点位梳理 ${marker}` }));
    if (res && res.status >= 200 && res.status < 400) acked.updates.push(marker);
  }

  async function read(jar: Jar) {
    const r = Math.random();
    if (r < 0.45) await request("page", jar, Math.random() < 0.4 ? pick(LISTS) : pick(pages));
    else if (r < 0.6) await request("search page", jar, `/search?q=${encodeURIComponent(pick(QUERIES))}`);
    else if (r < 0.8) await request("api/search", jar, `/api/search?q=${encodeURIComponent(pick(QUERIES))}${Math.random() < 0.3 ? "&type=result" : ""}`);
    else {
      // a few keystrokes' worth of suggestions, as the search box asks while typing
      const word = pick(PREFIXES);
      for (let i = 1; i <= word.length; i++) await request("api/suggest", jar, `/api/suggest?q=${encodeURIComponent(word.slice(0, i))}`);
    }
  }

  const resultsOf = new Map<string, EditableResult[]>();
  for (const r of editable) resultsOf.set(r.studio, [...(resultsOf.get(r.studio) ?? []), r]);

  opts.log(`load: ${opts.clients} clients for ${opts.seconds} s …`);
  const started = performance.now();
  const end = Date.now() + opts.seconds * 1000;
  let running = opts.clients;
  const done = () => [...latencies.values()].reduce((a, l) => a + l.length, 0) + errors;
  const ticker = setInterval(
    () => opts.log(`load: ${Math.round((performance.now() - started) / 1000)} s, ${int(done())} requests, ${inFlight} in flight, ${running} clients running`),
    10_000,
  );
  const clients = Promise.all(
    Array.from({ length: opts.clients }, async (_, i) => {
      // odd clients are signed in (ten or so share each account, as colleagues share a studio)
      const signedIn = i % 2 === 1;
      const account = (i >> 1) % users.length;
      const jar = signedIn ? new Jar(sessions[account]) : new Jar();
      const studio = users[account].studio;
      while (Date.now() < end) {
        const r = Math.random();
        if (signedIn && r < 0.12) await createPatent(jar, studio);
        else if (signedIn && r < 0.24) await editResult(jar, pick(resultsOf.get(studio)!));
        else if (signedIn && r < 0.3) await postUpdate(jar);
        else await read(jar);
      }
      running--;
    }),
  );
  // every request has its own timeout; this only keeps a stuck client from holding the report
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([clients, new Promise((r) => (timer = setTimeout(r, (opts.seconds + 120) * 1000)))]);
  clearTimeout(timer);
  clearInterval(ticker);
  const seconds = (performance.now() - started) / 1000;
  if (running) opts.log(`load: ${running} clients had not finished ${Math.round(seconds - opts.seconds)} s after the end`);

  // every acknowledged write must be in the database
  const sqlite = new Database(file, { readonly: true });
  let writes: LoadResult["writes"];
  try {
    const numbers = new Set((sqlite.prepare("SELECT number FROM Patent WHERE number LIKE ?").all(`LB${runTag}%`) as { number: string }[]).map((r) => r.number));
    const revisions = sqlite.prepare("SELECT r.data AS data FROM Revision r JOIN Result x ON x.id = r.subjectId WHERE r.subjectType = 'result' AND x.slug = ?");
    const version = sqlite.prepare("SELECT version FROM Result WHERE slug = ?");
    let editsPresent = 0;
    let versionMismatches = 0;
    const bySlug = new Map<string, string[]>();
    for (const e of acked.edits) bySlug.set(e.slug, [...(bySlug.get(e.slug) ?? []), e.marker]);
    for (const [slug, markers] of bySlug) {
      const all = (revisions.all(slug) as { data: string }[]).map((r) => r.data).join("\n");
      editsPresent += markers.filter((m) => all.includes(m)).length;
      const first = editable.find((r) => r.slug === slug)!.firstVersion;
      const now = (version.get(slug) as { version: number }).version;
      if (now !== first + markers.length) versionMismatches++;
    }
    const updates = (sqlite.prepare("SELECT text FROM ProjectUpdate").all() as { text: string }[]).map((u) => u.text).join("\n");
    writes = {
      updatesAcked: acked.updates.length,
      updatesPresent: acked.updates.filter((m) => updates.includes(m)).length,
      patentsAcked: acked.patents.length,
      patentsPresent: acked.patents.filter((n) => numbers.has(n)).length,
      patentsWrittenUnacked: [...numbers].filter((n) => !acked.patents.includes(n)).length,
      editsAcked: acked.edits.length,
      editsPresent,
      editsStale: acked.stale,
      versionMismatches,
    };
  } finally {
    sqlite.close();
  }

  const all: number[] = [];
  const total: Record<string, number> = {};
  const perKind = KINDS.map((kind) => {
    const l = latencies.get(kind)!;
    all.push(...l);
    for (const [s, n] of Object.entries(statuses.get(kind)!)) total[s] = (total[s] ?? 0) + n;
    return { kind, requests: l.length, statuses: statuses.get(kind)!, latency: summarize(l) };
  });
  // the distinct errors the server logged, most frequent first
  const counted = new Map<string, number>();
  for (const line of serverLog().split("\n")) {
    const m = /(\w*Error\w*: .+|database is locked|SQLITE_\w+)/.exec(line.trim());
    if (m && !line.trim().startsWith("at ")) counted.set(m[1].slice(0, 200), (counted.get(m[1].slice(0, 200)) ?? 0) + 1);
  }
  const serverErrors = [...counted]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([l, n]) => `${n} × ${l}`);
  return {
    options: { seconds: opts.seconds, clients: opts.clients, accounts: opts.accounts, processes: opts.processes },
    seconds,
    requests: all.length + errors,
    errors,
    errorSamples,
    statuses: total,
    perKind,
    latency: summarize(all),
    writes,
    serverErrors,
  };
}

const statusText = (s: Record<string, number>) =>
  Object.entries(s)
    .filter(([k]) => !/^[23]/.test(k))
    .map(([k, n]) => `${k}: ${int(n)}`)
    .join(", ") || "none";

/** The report of a run, as Markdown. */
export function printLoad(r: LoadResult): string {
  const fivexx = Object.entries(r.statuses)
    .filter(([k]) => k.startsWith("5"))
    .reduce((a, [, n]) => a + n, 0);
  const w = r.writes;
  const lost = w.patentsAcked - w.patentsPresent + (w.editsAcked - w.editsPresent) + (w.updatesAcked - w.updatesPresent);
  const lines = [
    `## Mixed load: ${r.options.clients} clients, ${r.options.processes} server processes, ${Math.round(r.seconds)} s`,
    "",
    `Half the clients read anonymously; half are signed in as ${r.options.accounts} studio admins and also create patents, edit results (with the edit page's version) and post joint-project updates, each with the page's CSRF token, as the browser sends them.`,
    "",
    `Requests: ${int(r.requests)} (${int(r.requests / r.seconds)}/s). Errors (no answer): ${int(r.errors)}. 5xx: ${int(fivexx)}. Non-2xx/3xx by status: ${statusText(r.statuses)}.`,
    `Latency overall: p50 ${ms(r.latency.p50)} ms, p95 ${ms(r.latency.p95)} ms, p99 ${ms(r.latency.p99)} ms, max ${ms(r.latency.max)} ms.`,
    "",
    table(
      ["kind", "requests", "p50 ms", "p95 ms", "p99 ms", "non-2xx/3xx"],
      r.perKind.map((k) => [k.kind, int(k.requests), ms(k.latency.p50), ms(k.latency.p95), ms(k.latency.p99), statusText(k.statuses)]),
    ),
    "",
    table(
      ["writes", "acknowledged", "in the database", "lost"],
      [
        ["new patents", int(w.patentsAcked), int(w.patentsPresent), int(w.patentsAcked - w.patentsPresent)],
        ["result edits", int(w.editsAcked), int(w.editsPresent), int(w.editsAcked - w.editsPresent)],
        ["joint-project updates", int(w.updatesAcked), int(w.updatesPresent), int(w.updatesAcked - w.updatesPresent)],
      ],
    ),
    "",
    `Result edits answered 409 (someone else saved first; the form comes back): ${int(w.editsStale)}. Results whose version is not their first plus their acknowledged edits: ${int(w.versionMismatches)}. Patents written without an acknowledgement: ${int(w.patentsWrittenUnacked)}.`,
    "",
    `Target: zero 5xx, zero lost writes — ${fivexx === 0 && lost === 0 && r.errors === 0 ? "met" : `not met (${int(fivexx)} 5xx, ${int(lost)} lost, ${int(r.errors)} without an answer)`}.`,
  ];
  if (r.errorSamples.length) lines.push("", "Requests without an answer (first few):", ...r.errorSamples.map((s) => `- ${s}`));
  if (r.serverErrors.length) lines.push("", "Errors in the server log (count × message):", "```", ...r.serverErrors, "```");
  return lines.join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const num = (name: string, fallback: number) => {
    const v = args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
    if (v === undefined) return fallback;
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new Error(`--${name} must be a whole number of at least 1, not "${v}"`);
    return Number(v);
  };
  const r = await loadBench(
    {
      seconds: num("seconds", args.includes("--quick") ? 15 : 60),
      clients: num("clients", 200),
      accounts: num("accounts", 20),
      processes: 2,
      log: (s) => console.error(`· ${s}`),
    },
    args.includes("--keep"),
  );
  console.log(printLoad(r));
}
