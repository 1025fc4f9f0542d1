// server.mjs itself: its settings, checked before it loads anything, and — on the real built app
// started as `npm start` starts it — request size limits and security headers.
import { spawnSync } from "node:child_process";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db } from "~/utils/db.server";
import { createUser, sessionCookie } from "../setup/auth";
import { startServer } from "../setup/server-process";

test.each(["0", "two", "1.5", "-3"])("WEB_CONCURRENCY=%s is refused with a message naming the setting", (value) => {
  const r = spawnSync(process.execPath, ["server.mjs"], { env: { ...process.env, WEB_CONCURRENCY: value, PORT: "0" }, encoding: "utf8", timeout: 20_000 });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`WEB_CONCURRENCY must be a whole number from 1 to 64, not "${value}"`);
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

/**
 * A POST that declares (or streams, chunked) a body of `size` bytes but sends it slowly, 64 KB
 * every 20 ms, as an upload over a real network would: the answer must not wait for it.
 */
function post(port: number, pathname: string, o: { size: number; chunked?: boolean; headers?: Record<string, string> }): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", ...o.headers };
    if (!o.chunked) headers["Content-Length"] = String(o.size);
    const req = http.request({ host: "127.0.0.1", port, path: pathname, method: "POST", headers });
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const piece = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      if (sent >= o.size) return void req.end();
      const n = Math.min(piece.length, o.size - sent);
      sent += n;
      req.write(piece.subarray(0, n));
      timer = setTimeout(pump, 20);
    };
    req.on("response", (res) => {
      clearTimeout(timer);
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body, ms: performance.now() - started }));
      res.on("error", reject);
    });
    // the server closes the connection after answering; writing further then fails, harmlessly
    req.on("error", (e) => ((e as NodeJS.ErrnoException).code === "EPIPE" || (e as NodeJS.ErrnoException).code === "ECONNRESET" ? undefined : reject(e)));
    pump();
  });
}

function get(port: number, pathname: string, headers: Record<string, string> = {}): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: pathname, headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body, ms: performance.now() - started }));
      })
      .on("error", reject);
  });
}

describe("the running server", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer({ TRUST_PROXY: "1" });
  }, 120_000);
  afterAll(() => {
    server?.child.kill("SIGTERM");
  });

  test("an upload declared larger than the limit is refused with 413 at once, in JSON, before signing in", async () => {
    const a = await post(server.port, "/uploads", { size: 150 * 1024 * 1024, headers: { "Content-Type": "multipart/form-data; boundary=x", "Accept-Language": "en" } });
    expect(a.status).toBe(413);
    expect(a.ms).toBeLessThan(1_000);
    expect(JSON.parse(a.body)).toMatchObject({ error: { code: "too_large", field: "file", message: expect.stringContaining("larger than the 5.1 MB limit") } });
  });

  test("a chunked upload is counted as it arrives and refused the moment it passes the limit", async () => {
    const a = await post(server.port, "/uploads", { size: 8 * 1024 * 1024, chunked: true, headers: { "Content-Type": "multipart/form-data; boundary=x" } });
    expect(a.status).toBe(413);
    // 5.1 MB at 64 KB / 20 ms arrive in about 1.6 s; the whole 8 MB would take 2.6 s
    expect(a.ms).toBeLessThan(2_300);
    expect(JSON.parse(a.body).error.message).toContain("上限");
  });

  test("a form post far smaller than an upload is already too large: a page in the visitor's language", async () => {
    const a = await post(server.port, "/login", { size: 1024 * 1024 + 1, headers: { "Accept-Language": "zh-CN,zh;q=0.9" } });
    expect(a.status).toBe(413);
    expect(a.ms).toBeLessThan(1_000);
    expect(a.headers["content-type"]).toMatch(/^text\/html/);
    expect(a.body).toContain("提交的内容太大");
    expect(a.body).toContain("1 MB");
    const en = await post(server.port, "/register", { size: 3 * 1024 * 1024, chunked: true, headers: { "Accept-Language": "en" } });
    expect(en.status).toBe(413);
    expect(en.body).toContain("larger than the 1 MB limit");
  });

  test("the editor's forms may carry a long body: 1.5 MB is past the form limit but within theirs", async () => {
    const a = await post(server.port, "/results/hmi-simulation-software/edit", { size: 1.5 * 1024 * 1024 });
    expect(a.status).not.toBe(413);
    const b = await post(server.port, "/results/hmi-simulation-software/edit", { size: 2 * 1024 * 1024 + 1 });
    expect(b.status).toBe(413);
  });

  test("a small chunked form post still reaches its route with its fields", async () => {
    const page = await get(server.port, "/login");
    const token = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
    const cookie = String(page.headers["set-cookie"]).split(";")[0];
    expect(token).toBeTruthy();
    const body = new URLSearchParams({ lang: "en", redirectTo: "/studios", csrf: token! }).toString();
    const a = await new Promise<Answer>((resolve, reject) => {
      const req = http.request({
        host: "127.0.0.1",
        port: server.port,
        path: "/language",
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, Origin: `http://127.0.0.1:${server.port}` },
      });
      req.on("response", (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: "", ms: 0 }));
      });
      req.on("error", reject);
      req.write(body.slice(0, 10));
      req.end(body.slice(10)); // two chunks, no Content-Length
    });
    expect(a.status).toBe(302);
    expect(a.headers.location).toBe("/studios");
    // the cookie holds the language as Remix encodes it: base64 of the JSON "en"
    expect(String(a.headers["set-cookie"])).toContain(`lang=${encodeURIComponent(Buffer.from(JSON.stringify("en")).toString("base64"))}`);
  });

  test("HSTS is sent when a trusted TLS proxy says the request came over https, and only then", async () => {
    const https = await get(server.port, "/api/health", { "X-Forwarded-Proto": "https" });
    expect(https.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    const plain = await get(server.port, "/api/health");
    expect(plain.headers["strict-transport-security"]).toBeUndefined();
  });

  test("an anonymous repeat visit is answered 304 until the database changes; then the page is new", async () => {
    const first = await get(server.port, "/enterprises");
    expect(first.status).toBe(200);
    const tag = first.headers.etag!;
    expect(tag).toMatch(/^W\/"/);
    expect(first.headers["cache-control"]).toBe("no-cache");
    const again = await get(server.port, "/enterprises", { "If-None-Match": tag });
    expect(again.status).toBe(304);
    expect(again.body).toBe("");
    // the stored page keeps the script nonce it was sent with
    expect(again.headers["content-security-policy"]).toBeUndefined();

    // another process commits (this test's own connection, as an import or a second server would)
    const name = `条件请求测试企业${Date.now()}`;
    await db.enterprise.create({ data: { slug: `conditional-${Date.now()}`, name } });
    const after = await get(server.port, "/enterprises", { "If-None-Match": tag });
    expect(after.status).toBe(200);
    expect(after.body).toContain(name);
    expect(after.headers.etag).not.toBe(tag);

    // the tag is the request's own: another language or other cookies get the page afresh
    expect((await get(server.port, "/enterprises", { "If-None-Match": after.headers.etag!, "Accept-Language": "en" })).status).toBe(200);
    expect((await get(server.port, "/enterprises", { "If-None-Match": after.headers.etag!, Cookie: "csrf=other" })).status).toBe(200);
  });

  test("an anonymous page is rendered once and answered from memory to the next visitor, with that visitor's own token and nonce, until the database changes", async () => {
    const first = await get(server.port, "/alliances");
    const second = await get(server.port, "/alliances");
    expect(second.status).toBe(200);
    expect(second.headers["x-page-cache"]).toBe("hit");
    const tokenOf = (a: Answer) => /name="csrf" value="([^"]+)"/.exec(a.body)?.[1];
    const nonceOf = (a: Answer) => /'nonce-([^']+)'/.exec(String(a.headers["content-security-policy"]))?.[1];
    expect(tokenOf(second)).toBeTruthy();
    expect(tokenOf(second)).not.toBe(tokenOf(first));
    expect(nonceOf(second)).not.toBe(nonceOf(first));
    // every script of the kept page carries this answer's nonce, so the policy lets it run
    const nonces = [...second.body.matchAll(/<script[^>]*nonce="([^"]+)"/g)].map((m) => m[1]);
    expect(nonces.length).toBeGreaterThan(1);
    expect(new Set(nonces)).toEqual(new Set([nonceOf(second)]));
    // apart from the two, the page is the one rendered for the first visitor
    const plain = (a: Answer) => a.body.split(tokenOf(a)!).join("T").split(nonceOf(a)!).join("N");
    expect(plain(second)).toBe(plain(first));

    // the kept page's token works with the cookie that came with it: switching the language
    const cookie = String(second.headers["set-cookie"]).split(";")[0];
    const form = `csrf=${encodeURIComponent(tokenOf(second)!)}&lang=en&redirectTo=%2Falliances`;
    const sw = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port: server.port,
          path: "/language",
          method: "POST",
          headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(form) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on("error", reject);
      req.end(form);
    });
    expect(sw).toBe(302);

    // a commit from elsewhere (this test's own connection, as a second server would): the next
    // visitor gets a page rendered afresh, with the change
    const name = `缓存页测试企业${Date.now()}`;
    await get(server.port, "/enterprises");
    expect((await get(server.port, "/enterprises")).headers["x-page-cache"]).toBe("hit");
    await db.enterprise.create({ data: { slug: `kept-${Date.now()}`, name } });
    const changed = await get(server.port, "/enterprises");
    expect(changed.headers["x-page-cache"]).toBeUndefined();
    expect(changed.body).toContain(name);
    const after = await get(server.port, "/alliances");
    expect(after.headers["x-page-cache"]).toBeUndefined();
  });

  test("a client-side navigation's data is kept too, with the visitor's own token", async () => {
    await get(server.port, "/needs.data");
    const kept = await get(server.port, "/needs.data");
    expect(kept.status).toBe(200);
    expect(kept.headers["x-page-cache"]).toBe("hit");
    expect(kept.headers["content-type"]).toMatch(/^text\/x-script/);
    // the token in the root's data is the one made for this visitor's new cookie
    const token = /"csrf","([^"]+)"/.exec(kept.body)?.[1];
    const other = /"csrf","([^"]+)"/.exec((await get(server.port, "/needs.data")).body)?.[1];
    expect(token).toBeTruthy();
    expect(other).not.toBe(token);
  });

  test("pages are kept apart by language, and not kept for signed-in visitors or requests with other cookies", async () => {
    await get(server.port, "/patents", { "Accept-Language": "en" });
    const en = await get(server.port, "/patents", { "Accept-Language": "en" });
    expect(en.headers["x-page-cache"]).toBe("hit");
    expect(en.body).toContain('lang="en"');
    const zh = await get(server.port, "/patents", { "Accept-Language": "zh-CN" });
    expect(zh.body).toContain('lang="zh-CN"');
    const zhAgain = await get(server.port, "/patents", { "Accept-Language": "zh-CN" });
    expect(zhAgain.headers["x-page-cache"]).toBe("hit");
    expect(zhAgain.body).toContain('lang="zh-CN"');

    const user = await createUser({ name: "缓存测试用户" });
    const cookie = await sessionCookie(user.id);
    for (let i = 0; i < 2; i++) {
      const mine = await get(server.port, "/patents", { Cookie: cookie });
      expect(mine.headers["x-page-cache"]).toBeUndefined();
      expect(mine.body).toContain("缓存测试用户");
    }
    await get(server.port, "/patents", { Cookie: "notice=saved" });
    expect((await get(server.port, "/patents", { Cookie: "notice=saved" })).headers["x-page-cache"]).toBeUndefined();
  });

  test("a signed-in page is never given a tag, and never answered 304", async () => {
    const user = await createUser();
    const cookie = await sessionCookie(user.id);
    const page = await get(server.port, "/enterprises", { Cookie: cookie });
    expect(page.status).toBe(200);
    expect(page.headers.etag).toBeUndefined();
    expect(page.headers["cache-control"]).toBe("private, no-store");
  });
});
