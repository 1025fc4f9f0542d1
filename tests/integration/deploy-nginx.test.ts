// deploy/nginx/studio-hub.conf in front of the real server (server.mjs on the built app), over
// TLS: the app's headers arrive once and unchanged, /build/ and /i18n/ are kept by nginx, the
// body limits are nginx's for what no route accepts and the app's below that, and a form posted
// from the site's own address passes the CSRF origin check (the Host header nginx passes on).
// Only the addresses and file paths of the configuration are changed for the test.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureBuild, freePort } from "../setup/server";

const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find(existsSync) ?? "";

function started(child: ChildProcess, what: string, ready: (out: string) => boolean | Promise<boolean>): Promise<() => string> {
  let out = "";
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${out}`)), 60_000);
    child.on("exit", (code) => reject(new Error(`${what} ended (${code}):\n${out}`)));
    const poll = async () => {
      if (await ready(out)) {
        clearTimeout(timer);
        resolve(() => out);
      } else setTimeout(poll, 100);
    };
    void poll();
  });
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  raw: string[];
  body: string;
}

let port = 0;
function request(pathname: string, o: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: "127.0.0.1", port, path: pathname, method: o.method ?? "GET", headers: o.headers, rejectUnauthorized: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, raw: res.rawHeaders, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(o.body);
  });
}
const count = (a: Answer, name: string) => a.raw.filter((_, i) => i % 2 === 0 && a.raw[i].toLowerCase() === name).length;

describe("nginx in front of the app server", () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "hub-nginx-"));
  let app: ChildProcess | undefined;
  let nginx: ChildProcess | undefined;

  beforeAll(async () => {
    expect(NGINX, "nginx is not installed: scripts/test.sh installs Debian's nginx; or apt-get install nginx").not.toBe("");
    ensureBuild();
    const appPort = await freePort();
    app = spawn(process.execPath, ["server.mjs"], {
      env: { ...process.env, NODE_ENV: "production", PORT: String(appPort), TRUST_PROXY: "1", WEB_CONCURRENCY: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    await started(app, "the app server", (out) => out.includes("Studio Alliance Hub on"));

    port = await freePort();
    const httpPort = await freePort();
    for (const sub of ["log", "cache", "ssl", "acme", "body", "proxy"]) mkdirSync(path.join(tmp, sub), { recursive: true });
    const cert = spawnSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=hub.example.cn", "-keyout", `${tmp}/ssl/privkey.pem`, "-out", `${tmp}/ssl/fullchain.pem`],
      { encoding: "utf8" },
    );
    expect(cert.status, cert.stderr).toBe(0);
    const conf = readFileSync("deploy/nginx/studio-hub.conf", "utf8")
      .replace(/^\s*server \d[^;]*;\n/gm, "")
      .replace(/upstream studio_hub \{/, `upstream studio_hub {\n    server 127.0.0.1:${appPort};`)
      .replace(/^\s*listen \[::\].*\n/gm, "")
      .replace(/listen 80;/, `listen 127.0.0.1:${httpPort};`)
      .replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${port} ssl;`)
      .replaceAll("/var/log/nginx/", `${tmp}/log/`)
      .replaceAll("/var/cache/nginx/", `${tmp}/cache/`)
      .replaceAll("/etc/ssl/studio-hub/", `${tmp}/ssl/`)
      .replaceAll("/var/www/acme", `${tmp}/acme`);
    expect(conf).toContain(`server 127.0.0.1:${appPort};`);
    writeFileSync(path.join(tmp, "studio-hub.conf"), conf);
    writeFileSync(
      path.join(tmp, "nginx.conf"),
      [
        // workers of a root master run as nobody, who could not write this folder
        process.getuid?.() === 0 ? "user root;" : "",
        "daemon off;",
        "worker_processes 1;",
        `pid ${tmp}/nginx.pid;`,
        `error_log ${tmp}/log/error.log;`,
        "events {}",
        `http {\n  client_body_temp_path ${tmp}/body;\n  proxy_temp_path ${tmp}/proxy;\n  include ${tmp}/studio-hub.conf;\n}`,
      ].join("\n"),
    );
    nginx = spawn(NGINX, ["-p", tmp, "-e", `${tmp}/log/error.log`, "-c", path.join(tmp, "nginx.conf")], { stdio: ["ignore", "pipe", "pipe"] });
    await started(nginx, "nginx", () =>
      request("/api/health").then(
        (a) => a.status === 200,
        () => false,
      ),
    );
  }, 240_000);

  afterAll(async () => {
    for (const child of [nginx, app]) {
      if (!child || child.exitCode !== null) continue;
      const ended = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await ended;
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  test("a page arrives with the app's security headers once each, HSTS over https, compressed by the app", async () => {
    const page = await request("/", { headers: { "Accept-Encoding": "gzip" } });
    expect(page.status).toBe(200);
    for (const h of ["content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy", "strict-transport-security"]) expect(count(page, h), h).toBe(1);
    expect(page.headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
    expect(page.headers["content-encoding"]).toBe("gzip");
    expect(page.headers["server"]).toBe("nginx");
  });

  test("/build/ files and the current /i18n/ catalogue are kept by nginx, with the app's year-long Cache-Control", async () => {
    const html = (await request("/")).body;
    const asset = /(\/build\/[^"]+\.js)"/.exec(html)?.[1];
    const catalogue = /(\/i18n\/[\w-]+\.[\w-]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    expect(catalogue).toBeTruthy();
    for (const url of [asset!, catalogue!]) {
      const first = await request(url);
      expect(first.status, url).toBe(200);
      expect(first.headers["cache-control"], url).toMatch(/max-age=31536000/);
      expect(first.headers["x-cache-status"], url).toBe("MISS");
      const second = await request(url);
      expect(second.headers["x-cache-status"], url).toBe("HIT");
      expect(second.body).toBe(first.body);
    }
    // an old catalogue is the app's "no-cache": never kept
    const old = catalogue!.replace(/\.[\w-]+\.js$/, ".0000000000.js");
    await request(old);
    expect((await request(old)).headers["x-cache-status"]).not.toBe("HIT");
  });

  test("a body larger than any route accepts stops at nginx; one over a route's own limit gets the app's answer", async () => {
    // declared, not sent: nginx answers from the headers (sending 12 MB while it closes the connection
    // would race its answer)
    const huge = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = https.request({
        host: "127.0.0.1",
        port,
        path: "/admin/import",
        method: "POST",
        headers: { "Content-Type": "application/octet-stream", "Content-Length": String(12 * 1024 * 1024) },
        rejectUnauthorized: false,
        agent: false,
      });
      let done = false;
      req.on("response", (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => {
          done = true;
          resolve({ status: res.statusCode!, body });
          req.destroy();
        });
      });
      req.on("error", (e) => done || reject(e));
      req.flushHeaders();
    });
    expect(huge.status).toBe(413);
    expect(huge.body).toContain("nginx");
    // every time: had the app closed the connection while nginx was still sending it the body,
    // about half of these would be nginx's 502
    for (let i = 0; i < 12; i++) {
      const form = await request("/login", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "en" },
        body: Buffer.alloc(2 * 1024 * 1024, "a"),
      });
      expect(form.status).toBe(413);
      expect(form.body).not.toContain("nginx");
      expect(form.body).toContain("larger than the 1 MB limit");
      expect(form.headers["content-type"]).toMatch(/^text\/html/);
    }
  });

  test("a form posted from the site's own address passes the origin check; one from elsewhere is refused", async () => {
    const page = await request("/login");
    const token = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
    const cookie = String(page.headers["set-cookie"]).split(";")[0];
    expect(token).toBeTruthy();
    const form = `csrf=${encodeURIComponent(token!)}&lang=en&redirectTo=%2Falliances`;
    const post = (origin: string) =>
      request("/language", { method: "POST", headers: { Cookie: cookie, Origin: origin, "Content-Type": "application/x-www-form-urlencoded" }, body: form });
    expect((await post(`https://127.0.0.1:${port}`)).status).toBe(302);
    expect((await post("https://evil.example")).status).toBe(403);
  });
});
