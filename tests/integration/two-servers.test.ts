// Two app servers that share nothing but the PostgreSQL URL (issue 14, docs/decisions/0027-postgresql.md):
// each the production build started as `npm start` starts it, with a data directory, a port and an
// embedded index of its own, and no SESSION_SECRET. Always on PostgreSQL: the suite's cluster under
// TEST_DATABASE=postgresql, TEST_POSTGRES_URL's server, or a throwaway cluster of this file's own.
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { getResponse } from "msw";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import { claimOutboxBatch } from "~/models/search/outbox-turn.server";
import { createDb, type Db } from "~/utils/db.server";
import { hashPassword } from "~/utils/password.server";
import { drainOutbox, type OutboxTarget } from "../../search/outbox.server";
import { createMeilisearchMock } from "../mocks/meilisearch";
import { copyOfTemplate, startTestCluster, type TestCluster } from "../setup/postgres";
import { startServer, type ServerProcess } from "../setup/server";

const STUDIO = "xu-xin";
const PASSWORD = "correct-horse-battery-42";
const EMAIL = "two-servers@example.cn";
const LIMITED = "two-servers-limit@example.cn";

let cluster: TestCluster | null = null;
let url = "";
let hub: Db;
const dirs: string[] = [];
const running: ServerProcess[] = [];

beforeAll(async () => {
  const template = inject("testPostgresTemplate");
  if (template) url = await copyOfTemplate(template);
  else {
    cluster = await startTestCluster(`hub_two_servers_${process.pid}`);
    url = await copyOfTemplate(cluster.template);
  }
  hub = createDb(url);
  const report = await importContent(hub, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  const user = await hub.user.create({ data: { email: EMAIL, name: "双机测试员", role: "member", passwordHash: await hashPassword(PASSWORD), emailVerifiedAt: new Date() } });
  const studio = await hub.studio.findUniqueOrThrow({ where: { slug: STUDIO } });
  await hub.membership.create({ data: { userId: user.id, studioId: studio.id, role: "member" } });
  await hub.user.create({ data: { email: LIMITED, name: "限流测试员", role: "member", passwordHash: await hashPassword(PASSWORD), emailVerifiedAt: new Date() } });
}, 120_000);

/** Stops a server as a service manager would: SIGTERM, and SIGKILL when it has not ended within 5 s. */
async function stop(s: ServerProcess | undefined) {
  if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return;
  const ended = new Promise((r) => s.child.once("exit", r));
  s.child.kill("SIGTERM");
  const timer = setTimeout(() => s.child.kill("SIGKILL"), 5_000);
  await ended;
  clearTimeout(timer);
}

afterAll(async () => {
  await Promise.all(running.map(stop));
  await hub?.$disconnect();
  cluster?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A server of its own: the shared database URL, and nothing else shared with the other one. */
async function server(env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "hub-two-servers-"));
  dirs.push(dataDir);
  const s = await startServer({
    DATABASE_URL: url,
    DATA_DIR: dataDir,
    // set for this test process (tests/setup): the servers must agree without them
    SESSION_SECRET: undefined,
    MAIL_OUTBOX_DIR: undefined,
    MEILI_HOST: undefined,
    MEILI_API_KEY: undefined,
    WEB_CONCURRENCY: undefined,
    ...env,
  });
  running.push(s);
  return s;
}

/** A browser: keeps the cookies servers set, whichever server set them, and sends them to both. */
class Browser {
  cookies = new Map<string, string>();
  async go(port: number, pathname: string, form?: Record<string, string | string[]>) {
    const headers: Record<string, string> = { "Accept-Language": "en" };
    if (this.cookies.size) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    let body: URLSearchParams | undefined;
    if (form) {
      body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x);
      headers["Content-Type"] = "application/x-www-form-urlencoded";
    }
    const res = await fetch(`http://127.0.0.1:${port}${pathname}`, { method: form ? "POST" : "GET", headers, body, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(";")[0];
      const i = pair.indexOf("=");
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return { status: res.status, location: res.headers.get("location"), text: await res.text() };
  }
  /** The CSRF token of a page, as its forms carry it. */
  async token(port: number, pathname: string): Promise<string> {
    const page = await this.go(port, pathname);
    expect(page.status).toBe(200);
    const token = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error(`no CSRF token on ${pathname}`);
    return token;
  }
}

async function searchHits(port: number, q: string): Promise<{ type: string; slug: string }[]> {
  const res = await fetch(`http://127.0.0.1:${port}/api/search?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { hits: { type: string; slug: string }[] }).hits;
}

const lexical = (s: string) =>
  JSON.stringify({
    root: {
      type: "root",
      version: 1,
      direction: "ltr",
      format: "",
      indent: 0,
      children: [
        {
          type: "paragraph",
          version: 1,
          direction: "ltr",
          format: "",
          indent: 0,
          children: [{ type: "text", version: 1, text: s, format: 0, detail: 0, mode: "normal", style: "" }],
        },
      ],
    },
  });

async function waitFor<T>(what: string, f: () => Promise<T | null | undefined | false>, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > until) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("two servers on one PostgreSQL database", () => {
  let a: ServerProcess;
  let b: ServerProcess;
  const browser = new Browser();
  let token = "";

  beforeAll(async () => {
    [a, b] = await Promise.all([server(), server()]);
  }, 120_000);

  test("a session made by signing in on A is valid on B, and a form token from A's page is accepted by B", async () => {
    const loginToken = await browser.token(a.port, "/login");
    const login = await browser.go(a.port, "/login", { email: EMAIL, password: PASSWORD, redirectTo: "/account", csrf: loginToken });
    expect(login.status).toBe(302);
    expect(browser.cookies.has("__session")).toBe(true);

    const account = await browser.go(b.port, "/account");
    expect(account.status).toBe(200);
    expect(account.text).toContain(EMAIL);
    // (the same page without the session sends a visitor to sign in)
    const anonymous = await fetch(`http://127.0.0.1:${b.port}/account`, { redirect: "manual" });
    expect(anonymous.status).toBe(302);

    token = await browser.token(a.port, `/studios/${STUDIO}/results/new`);
    const forged = await browser.go(b.port, `/studios/${STUDIO}/results/new`, { title: "伪造令牌的成果", csrf: token.slice(0, -4) + "AAAA" });
    expect(forged.status).toBe(403);
    const draft = await browser.go(b.port, `/studios/${STUDIO}/results/new`, { title: "两台服务器的草稿", csrf: token });
    expect(draft.status).toBe(302);
    expect(draft.location).toMatch(/^\/results\/[^/]+\/edit$/);
  });

  test("failed sign-ins count on both servers together: the sixth in a row is refused, even with the right password", async () => {
    const visitor = new Browser();
    const loginToken = await visitor.token(a.port, "/login");
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) answers.push((await visitor.go(i % 2 ? b.port : a.port, "/login", { email: LIMITED, password: `wrong-${i}`, csrf: loginToken })).status);
    expect(answers).toEqual([400, 400, 400, 400, 400]);
    const sixth = await visitor.go(b.port, "/login", { email: LIMITED, password: PASSWORD, csrf: loginToken });
    expect(sixth.status).toBe(429);
    expect(visitor.cookies.has("__session")).toBe(false);
  });

  test("a result published through A is found by /api/search on B within a second", async () => {
    const word = `twinsrv${Math.random().toString(36).slice(2, 8).replace(/\d/g, "x")}`;
    const started = await browser.go(a.port, `/studios/${STUDIO}/results/new`, { title: `双机检索验证 ${word}`, csrf: token });
    expect(started.status).toBe(302);
    const slug = /^\/results\/([^/]+)\/edit$/.exec(started.location!)![1];
    const editToken = await browser.token(a.port, `/results/${slug}/edit`);
    const { version } = await hub.result.findUniqueOrThrow({ where: { slug } });
    expect(await searchHits(b.port, word)).toEqual([]);

    const published = await browser.go(a.port, `/results/${slug}/edit`, {
      intent: "publish",
      studio: STUDIO,
      version: String(version),
      title: `双机检索验证 ${word}`,
      kind: "process",
      industry: "rail-transit",
      tags: "双机，检索",
      benefits: "发布后在另一台服务器上一秒内可检索",
      status: "in-use",
      adopters: "郑州地铁集团有限公司",
      year: "2024",
      awards: "",
      visibility: "public",
      body: lexical(`正文 ${word}`),
      csrf: editToken,
    });
    expect(published.status).toBe(302);
    const answered = performance.now();
    const hits = await waitFor("the result on B", async () => (await searchHits(b.port, word)).filter((h) => h.slug === slug), 1_000).catch(() => []);
    const waited = performance.now() - answered;
    expect(hits).toEqual([expect.objectContaining({ type: "result", slug })]);
    expect(waited).toBeLessThan(1_000);
  });

  test("killing A in the middle of writes leaves B serving, and every acknowledged write is there", async () => {
    const acknowledged: { title: string; slug: string }[] = [];
    let n = 0;
    let stop = false;
    let failedOnB = 0;
    const writer = (port: number, name: string) =>
      (async () => {
        while (!stop) {
          const title = `断电写入 ${name}-${n++}`;
          try {
            const r = await browser.go(port, `/studios/${STUDIO}/results/new`, { title, csrf: token });
            if (r.status === 302) acknowledged.push({ title, slug: /^\/results\/([^/]+)\/edit$/.exec(r.location!)![1] });
            else if (port === b.port) failedOnB++;
          } catch {
            // A went away with this request in flight: never acknowledged, so nothing was promised
            if (port === b.port) failedOnB++;
          }
        }
      })();
    const writers = [writer(a.port, "A1"), writer(a.port, "A2"), writer(a.port, "A3"), writer(b.port, "B1")];
    await waitFor("writes on A", async () => acknowledged.filter((w) => w.title.includes(" A")).length >= 12, 30_000);
    a.child.kill("SIGKILL");
    await new Promise((r) => a.child.once("exit", r));
    const atKill = acknowledged.length;
    // B goes on taking writes after A is gone
    await waitFor("writes on B after the kill", async () => acknowledged.length >= atKill + 5, 30_000);
    stop = true;
    await Promise.all(writers);
    expect(failedOnB).toBe(0);

    const stored = await hub.result.findMany({ where: { slug: { in: acknowledged.map((w) => w.slug) } }, select: { slug: true, title: true } });
    expect(stored.map((r) => `${r.slug} ${r.title}`).sort()).toEqual(acknowledged.map((w) => `${w.slug} ${w.title}`).sort());
    // and B shows them: a draft made on A, by its page on B
    const fromA = acknowledged.filter((w) => w.title.includes(" A")).at(-1)!;
    const page = await browser.go(b.port, `/results/${fromA.slug}/edit`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(fromA.title);
    const health = await fetch(`http://127.0.0.1:${b.port}/api/health`);
    expect(health.status).toBe(200);
  }, 90_000);

  afterAll(() => Promise.all([stop(a), stop(b)]));
});

/** Meilisearch's HTTP API (tests/mocks/meilisearch.ts) on a real port, slow to answer, counting the documents it is sent. */
async function meilisearchServer(delayMs: number) {
  const mock = createMeilisearchMock({ host: "http://127.0.0.1" });
  const received: string[] = [];
  const httpServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
      });
      if ((req.method === "POST" || req.method === "PUT") && /^\/indexes\/[^/]+\/documents(\?|$)/.test(req.url ?? "") && body) {
        for (const d of JSON.parse(body.toString("utf8")) as { id: string }[]) received.push(d.id);
      }
      const response = await getResponse(mock.handlers, request);
      // the answer takes a while, as a busy Meilisearch's does: deliveries overlap the other server's turns
      if (/\/documents/.test(req.url ?? "")) await new Promise((r) => setTimeout(r, delayMs));
      res.statusCode = response?.status ?? 404;
      response?.headers.forEach((v, k) => res.setHeader(k, v));
      res.end(response ? Buffer.from(await response.arrayBuffer()) : undefined);
    });
  });
  await new Promise<void>((r) => httpServer.listen(0, "127.0.0.1", r));
  const host = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  return { host, received, mock, close: () => new Promise((r) => httpServer.close(r)) };
}

describe("background work of two servers", () => {
  let meili: Awaited<ReturnType<typeof meilisearchServer>>;
  let a: ServerProcess;
  let b: ServerProcess;
  const MILESTONES = 6;
  let participants: string[] = [];
  let listening = 0;

  beforeAll(async () => {
    meili = await meilisearchServer(120);
    // milestones due tomorrow in a running joint project: the reminder job's work
    const studio = await hub.studio.findUniqueOrThrow({ where: { slug: STUDIO } });
    const creator = await hub.user.findUniqueOrThrow({ where: { email: EMAIL } });
    const alliance = await hub.alliance.create({ data: { slug: "two-servers-alliance", name: "双机联盟", theme: "双机测试", charter: lexical("章程"), createdById: creator.id } });
    const project = await hub.jointProject.create({
      data: { slug: "two-servers-project", allianceId: alliance.id, title: "双机联合项目", status: "active", createdById: creator.id },
    });
    await hub.projectParticipant.create({ data: { projectId: project.id, studioId: studio.id, role: "lead" } });
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await hub.milestone.createMany({ data: Array.from({ length: MILESTONES }, (_, i) => ({ projectId: project.id, title: `双机里程碑 ${i}`, dueOn: tomorrow, sortOrder: i })) });
    participants = [...new Set([...(await hub.membership.findMany({ where: { studioId: studio.id } })).map((m) => m.userId), creator.id])];
    await hub.scheduledJob.deleteMany({});
    await hub.notification.deleteMany({ where: { kind: "milestone.due" } });

    [a, b] = await Promise.all([server({ MEILI_HOST: meili.host }), server({ MEILI_HOST: meili.host })]);
    listening = Date.now();
    // the first to reach Meilisearch made the index and queued every document once: wait for it to be delivered
    await waitFor("the first fill of the index", async () => meili.received.length > 0 && (await hub.searchOutbox.count()) === 0, 60_000);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stop(a), stop(b)]);
    await meili?.close();
  });

  test("the first fill of a new Meilisearch index sends every document once, though both servers started against it", async () => {
    const docs = await hub.searchDoc.count();
    expect(new Set(meili.received).size).toBe(docs);
    expect(meili.received.length).toBe(docs);
  });

  test("100 outbox rows written while both servers deliver reach Meilisearch exactly once each", async () => {
    meili.received.length = 0;
    const docIds = (await hub.searchDoc.findMany({ select: { id: true }, orderBy: { id: "asc" }, take: 100 })).map((d) => d.id);
    expect(docIds).toHaveLength(100);
    // ten bursts of ten, as writes come: both servers' one-second ticks find work
    for (let i = 0; i < 100; i += 10) {
      await hub.searchOutbox.createMany({ data: docIds.slice(i, i + 10).map((docId) => ({ op: "upsert", docType: docId.split(":")[0], docId })) });
      await new Promise((r) => setTimeout(r, 150));
    }
    await waitFor("an empty outbox", async () => (await hub.searchOutbox.count()) === 0, 30_000);
    await new Promise((r) => setTimeout(r, 1_200)); // a further tick of each: nothing more is sent
    expect(meili.received.length).toBe(100);
    expect(new Set(meili.received).size).toBe(100);
  }, 60_000);

  test("two deliverers draining at once, without taking turns, still send each row once: rows are claimed", async () => {
    const other = createDb(url);
    try {
      const docIds = Array.from({ length: 60 }, (_, i) => `result:claimed-once-${i}`);
      await hub.searchOutbox.createMany({ data: docIds.map((docId) => ({ op: "delete", docType: "result", docId, nextAttemptAt: new Date(0) })) });
      const delivered: string[] = [];
      const target: OutboxTarget = {
        ensureIndex: async () => ({ created: false }),
        deliver: async (ids: string[]) => {
          await new Promise((r) => setTimeout(r, 30));
          delivered.push(...ids);
          return { upserted: 0, deleted: ids.length };
        },
      };
      // far in the future: the servers' own deliverers (on the real clock) leave these rows alone
      const now = new Date(Date.now() + 365 * 86_400_000);
      await hub.searchOutbox.updateMany({ where: { docId: { in: docIds } }, data: { nextAttemptAt: new Date(now.getTime() - 1) } });
      const reports = await Promise.all([
        drainOutbox(hub, target, { batchSize: 7, now, claim: claimOutboxBatch }),
        drainOutbox(other, target, { batchSize: 7, now, claim: claimOutboxBatch }),
      ]);
      expect(delivered.slice().sort()).toEqual(docIds.slice().sort());
      expect(reports[0].delivered + reports[1].delivered).toBe(60);
      expect(reports[0].delivered).toBeGreaterThan(0);
      expect(reports[1].delivered).toBeGreaterThan(0);
    } finally {
      await other.$disconnect();
    }
  }, 30_000);

  test("due-milestone notices go out once, though both servers run the reminder job", async () => {
    // each server's first round comes 10–11 s after it listens; a milestone is claimed with its notices
    await waitFor("every milestone claimed", async () => (await hub.milestone.count({ where: { title: { startsWith: "双机里程碑" }, dueNotifiedAt: null } })) === 0, 40_000);
    await new Promise((r) => setTimeout(r, Math.max(0, listening + 12_000 - Date.now())));
    const job = await hub.scheduledJob.findUniqueOrThrow({ where: { name: "milestone-due-reminders" } });
    expect([a.child.pid, b.child.pid].map((pid) => `:${pid}`)).toContain(job.holder!.slice(job.holder!.lastIndexOf(":")));
    const notices = await hub.notification.findMany({ where: { kind: "milestone.due" }, select: { userId: true, params: true } });
    const sent = notices.map((n) => `${n.userId} ${(JSON.parse(n.params) as { milestone: string }).milestone}`).sort();
    const expected = participants.flatMap((u) => Array.from({ length: MILESTONES }, (_, i) => `${u} 双机里程碑 ${i}`)).sort();
    expect(sent).toEqual(expected);
  }, 60_000);
});
