// deploy/: the systemd units and the nginx configuration are checked as their own tools check them
// (`systemd-analyze verify` when it is installed, `nginx -t` always: scripts/test.sh installs nginx),
// and against the app: every variable they set is one the app reads, the upload limit is the app's,
// the headers the app relies on are passed on, and nothing the app already sends is sent twice.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { loader as i18nLoader } from "~/routes/i18n.$file";
import { FORM_BODY_LIMIT, RICH_TEXT_BODY_LIMIT, SHEET_BODY_LIMIT, UPLOAD_BODY_LIMIT } from "~/utils/body-limit.server";
import { publicUrl } from "~/utils/deployment.server";
import { EnvSchema } from "~/utils/env.server";
import { NEWER_DATABASE_EXIT } from "~/utils/migration-guard.mjs";
import { catalogueVersion } from "~/i18n/catalogue.server";

const DEPLOY = path.resolve("deploy");
const UNITS = ["studio-hub@.service", "studio-hub-migrate.service", "meilisearch.service"];
const APP_UNITS = ["studio-hub@.service", "studio-hub-migrate.service"];
const read = (p: string) => readFileSync(path.join(DEPLOY, p), "utf8");
const tmp = mkdtempSync(path.join(os.tmpdir(), "hub-deploy-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// ---- systemd -------------------------------------------------------------------------------

type Unit = Map<string, [string, string][]>;

/** A unit file's sections and their key=value lines, in order; throws on a line that is neither. */
export function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: [string, string][] | null = null;
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) return;
    const head = /^\[([A-Za-z]+)\]$/.exec(line);
    if (head) {
      if (unit.has(head[1])) throw new Error(`line ${i + 1}: section [${head[1]}] twice`);
      unit.set(head[1], (section = []));
      return;
    }
    const kv = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    if (!kv) throw new Error(`line ${i + 1}: not a section or a Key=value line: ${line}`);
    if (!section) throw new Error(`line ${i + 1}: ${kv[1]} before any section`);
    section.push([kv[1], kv[2]]);
  });
  return unit;
}

const values = (unit: Unit, section: string, key: string) => (unit.get(section) ?? []).filter(([k]) => k === key).map(([, v]) => v);

/** NAME=value assignments of Environment= lines (several per line allowed). */
function environmentOf(unit: Unit): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of values(unit, "Service", "Environment")) {
    for (const m of line.matchAll(/(?:^|\s)"?([A-Za-z_][A-Za-z0-9_]*)=([^\s"]*)"?/g)) env.set(m[1], m[2]);
  }
  return env;
}

/** KEY=value lines of an EnvironmentFile. */
function parseEnvFile(text: string): Map<string, string> {
  const env = new Map<string, string>();
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) throw new Error(`line ${i + 1}: not NAME=value: ${line}`);
    // (systemd and sh both take the quotes off a quoted value)
    env.set(m[1], m[2].replace(/^"(.*)"$/, "$1"));
  });
  return env;
}

/**
 * Every variable the app reads: its validated settings and the process.env reads in app/, server.mjs
 * and the preparation the migration unit runs.
 */
function variablesTheAppReads(): Set<string> {
  const names = new Set(Object.keys(EnvSchema.shape));
  const files = ["server.mjs", "scripts/prepare.ts", "scripts/migrate.ts"];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (name === "generated") continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|tsx|mjs)$/.test(name)) files.push(p);
    }
  };
  walk("app");
  for (const f of files) for (const m of readFileSync(f, "utf8").matchAll(/process\.env\.([A-Z_][A-Z0-9_]*)/g)) names.add(m[1]);
  return names;
}

// Meilisearch's instance options as environment variables (its configuration reference)
const MEILI_OPTIONS = new Set([
  "MEILI_CONFIG_FILE_PATH",
  "MEILI_DB_PATH",
  "MEILI_ENV",
  "MEILI_HTTP_ADDR",
  "MEILI_MASTER_KEY",
  "MEILI_NO_ANALYTICS",
  "MEILI_DUMP_DIR",
  "MEILI_SNAPSHOT_DIR",
  "MEILI_SCHEDULE_SNAPSHOT",
  "MEILI_LOG_LEVEL",
  "MEILI_MAX_INDEXING_MEMORY",
  "MEILI_MAX_INDEXING_THREADS",
  "MEILI_HTTP_PAYLOAD_SIZE_LIMIT",
  "MEILI_TASK_WEBHOOK_URL",
]);

describe("systemd units", () => {
  const units = Object.fromEntries(UNITS.map((name) => [name, parseUnit(read(`systemd/${name}`))]));

  test.each(UNITS)("%s has [Unit], [Service] and [Install], an absolute ExecStart and a description", (name) => {
    const unit = units[name];
    expect([...unit.keys()]).toEqual(["Unit", "Service", "Install"]);
    expect(values(unit, "Unit", "Description")[0]).toMatch(/\S/);
    const exec = values(unit, "Service", "ExecStart");
    expect(exec).toHaveLength(1);
    expect(exec[0]).toMatch(/^\//);
    expect(values(unit, "Install", "WantedBy")).toEqual(["multi-user.target"]);
  });

  test("an app server per port: the instance name is PORT, one process each, after the migration unit", () => {
    const app = units["studio-hub@.service"];
    const env = environmentOf(app);
    expect(env.get("PORT")).toBe("%i");
    expect(env.get("NODE_ENV")).toBe("production");
    expect(env.get("WEB_CONCURRENCY")).toBe("1");
    expect(values(app, "Service", "EnvironmentFile")).toEqual(["/etc/studio-hub/env"]);
    expect(values(app, "Service", "ExecStart")[0]).toMatch(/ node server\.mjs$/);
    expect(values(app, "Unit", "Requires")).toContain("studio-hub-migrate.service");
    expect(values(app, "Unit", "After").join(" ")).toContain("studio-hub-migrate.service");
    expect(values(app, "Service", "Restart")).toEqual(["on-failure"]);
    // a refusal to serve a database from a newer version is not retried
    expect(values(app, "Service", "RestartPreventExitStatus")).toEqual([String(NEWER_DATABASE_EXIT)]);
  });

  test("the migration unit runs once before the servers, as npm start prepares, without building", () => {
    const migrate = units["studio-hub-migrate.service"];
    expect(values(migrate, "Service", "Type")).toEqual(["oneshot"]);
    expect(values(migrate, "Service", "RemainAfterExit")).toEqual(["yes"]);
    expect(values(migrate, "Service", "EnvironmentFile")).toEqual(["/etc/studio-hub/env"]);
    const exec = values(migrate, "Service", "ExecStart")[0];
    const script = /--import tsx (scripts\/\S+\.ts)/.exec(exec)?.[1];
    expect(script).toBe("scripts/prepare.ts");
    expect(existsSync(script!)).toBe(true);
    // the preparation migrates first (and so refuses a database from a newer version)
    expect(readFileSync(script!, "utf8")).toMatch(/^await migrate\(\);$/m);
    expect(exec).toMatch(/--no-build$/);
  });

  test("the app units and the example environment set only variables the app reads, with values it accepts", () => {
    const known = variablesTheAppReads();
    const file = parseEnvFile(read("studio-hub.env.example"));
    const set = [...APP_UNITS.flatMap((name) => [...environmentOf(units[name]).keys()]), ...file.keys()];
    expect(set.length).toBeGreaterThan(8);
    expect(set.filter((name) => !known.has(name))).toEqual([]);
    // what several servers need: one database server, the same secret, a shared data directory,
    // the client address from nginx, a public address
    expect(file.get("DATABASE_URL")).toMatch(/^postgresql:\/\//);
    for (const name of ["SESSION_SECRET", "DATA_DIR", "TRUST_PROXY", "PUBLIC_URL", "MEILI_HOST", "MEILI_API_KEY"]) expect(file.get(name), name).toBeTruthy();
    const parsed = EnvSchema.safeParse({ ...Object.fromEntries(file), PORT: "3001", NODE_ENV: "production" });
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(publicUrl({ PUBLIC_URL: file.get("PUBLIC_URL") })).toBe("https://hub.example.cn");
    // docs/deployment.md runs the admin command with it: sh reads the same values as systemd
    const sourced = spawnSync("sh", ["-c", `set -a; . "$0"; printf '%s\n' "$MAIL_FROM" "$DATABASE_URL"`, path.join(DEPLOY, "studio-hub.env.example")], {
      encoding: "utf8",
      env: { ...process.env, MAIL_FROM: "", DATABASE_URL: "" },
    });
    expect(sourced.stderr).toBe("");
    expect(sourced.stdout).toBe(`${file.get("MAIL_FROM")}\n${file.get("DATABASE_URL")}\n`);
    // the data directory is the one the units may write
    expect(values(units["studio-hub@.service"], "Service", "ReadWritePaths")).toEqual([file.get("DATA_DIR")]);
  });

  test("the Meilisearch unit sets only Meilisearch's own options, and keeps the master key out of the unit", () => {
    const env = environmentOf(units["meilisearch.service"]);
    expect([...env.keys()].filter((name) => !MEILI_OPTIONS.has(name))).toEqual([]);
    expect(env.get("MEILI_ENV")).toBe("production");
    expect(env.has("MEILI_MASTER_KEY")).toBe(false);
    expect(values(units["meilisearch.service"], "Service", "EnvironmentFile")).toEqual(["/etc/meilisearch/env"]);
    // the app's MEILI_HOST points at the address it listens on
    const file = parseEnvFile(read("studio-hub.env.example"));
    expect(new URL(file.get("MEILI_HOST")!).host).toBe(env.get("MEILI_HTTP_ADDR"));
  });

  const analyze = spawnSync("sh", ["-c", "command -v systemd-analyze"], { encoding: "utf8" }).stdout.trim();
  test(`systemd-analyze verify accepts every unit${analyze ? "" : " (not installed: the parser above stands in)"}`, () => {
    if (!analyze) {
      for (const name of UNITS) expect(() => parseUnit(read(`systemd/${name}`))).not.toThrow();
      return;
    }
    const dir = path.join(tmp, "systemd");
    mkdirSync(dir, { recursive: true });
    // programs this machine does not have (Meilisearch is installed on its own node) are stood in for
    const stub = path.join(tmp, "stub-program");
    writeFileSync(stub, "#!/bin/sh\n");
    chmodSync(stub, 0o755);
    for (const name of UNITS) {
      const text = read(`systemd/${name}`).replace(/^ExecStart=(\/\S+)/m, (line, program: string) => (existsSync(program) ? line : `ExecStart=${stub}`));
      writeFileSync(path.join(dir, name), text);
    }
    const targets = UNITS.map((name) => path.join(dir, name.replace("@.", "@3001.")));
    const r = spawnSync(analyze, ["verify", "--man=no", ...targets], { encoding: "utf8", cwd: dir });
    // any complaint (an unknown key, a bad value, a missing unit) is printed; none may be
    expect(`${r.stdout}${r.stderr}`.trim()).toBe("");
    expect(r.status).toBe(0);
  });

  test("systemd-analyze verify (or the parser) does catch a mistake", () => {
    const broken = read("systemd/studio-hub@.service").replace("Restart=on-failure", "Restart=on-failure\nRestartt=always\nnot a setting");
    expect(() => parseUnit(broken)).toThrow(/not a section or a Key=value line/);
    if (!analyze) return;
    const dir = path.join(tmp, "systemd-broken");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "studio-hub@.service"), broken.replace(/^Requires=.*$/m, "").replace(/studio-hub-migrate\.service/g, ""));
    const r = spawnSync(analyze, ["verify", "--man=no", path.join(dir, "studio-hub@3001.service")], { encoding: "utf8", cwd: dir });
    expect(r.stderr).toMatch(/Restartt|not a setting|Missing '='/);
  });
});

// ---- nginx ---------------------------------------------------------------------------------

const nginxConf = read("nginx/studio-hub.conf");
/** `name args;` directives of the configuration (comments dropped), in order. */
const directives = (text: string, name: string) =>
  [...text.replace(/#.*$/gm, "").matchAll(new RegExp(`(?:^|[;{}\\s])${name}\\s+([^;{}]+);`, "g"))].map((m) => m[1].trim().replace(/\s+/g, " "));

/** The body of `location <path> { … }` (no nested blocks in this file's locations). */
function locationBlock(text: string, where: string): string | null {
  const m = new RegExp(`location\\s+${where.replace(/[/.]/g, "\\$&")}\\s*\\{([^{}]*)\\}`).exec(text.replace(/#.*$/gm, ""));
  return m ? m[1] : null;
}

function bytes(size: string): number {
  const m = /^(\d+)([kKmMgG]?)$/.exec(size);
  if (!m) throw new Error(`not an nginx size: ${size}`);
  return Number(m[1]) * { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as "" | "k" | "m" | "g"];
}

describe("nginx configuration", () => {
  test("client_max_body_size lets through the largest body the app accepts, and not a megabyte more", () => {
    const sizes = directives(nginxConf, "client_max_body_size");
    expect(sizes).toHaveLength(1);
    const largest = Math.max(FORM_BODY_LIMIT, RICH_TEXT_BODY_LIMIT, UPLOAD_BODY_LIMIT, SHEET_BODY_LIMIT);
    expect(bytes(sizes[0])).toBeGreaterThanOrEqual(largest);
    expect(bytes(sizes[0])).toBeLessThan(largest + 1024 * 1024);
    // the app reads and drops the rest of a refused body up to this size, so nginx gets to relay its 413
    const drain = /const DRAIN_UP_TO = (\d+) \* 1024 \* 1024;/.exec(readFileSync("server.mjs", "utf8"));
    expect(drain).not.toBeNull();
    expect(bytes(sizes[0])).toBeLessThanOrEqual(Number(drain![1]) * 1024 * 1024);
  });

  test("the app gets the headers it relies on: the host the browser wrote, the scheme, the client address", () => {
    const set = Object.fromEntries(directives(nginxConf, "proxy_set_header").map((d) => [d.split(" ")[0].toLowerCase(), d.split(" ").slice(1).join(" ")]));
    // CSRF compares Origin's host with X-Forwarded-Host or Host (app/utils/csrf.server.ts, foreign-origin.mjs)
    expect(set["host"]).toBe("$http_host");
    expect(set["x-forwarded-host"]).toBe("$http_host");
    // secure cookies and HSTS follow req.secure (TRUST_PROXY in server.mjs)
    expect(set["x-forwarded-proto"]).toBe("$scheme");
    // with TRUST_PROXY=1 Express takes the address nginx appends: never the client's own header
    expect(set["x-forwarded-for"]).toBe("$proxy_add_x_forwarded_for");
    expect(set["x-foreign-origin"]).toBe('""');
    expect(readFileSync("server.mjs", "utf8")).toMatch(/app\.set\("trust proxy"/);
    expect(parseEnvFile(read("studio-hub.env.example")).get("TRUST_PROXY")).toBe("1");
  });

  test("no header the app already sends is added again, and the app compresses", () => {
    const server = readFileSync("server.mjs", "utf8");
    const appHeaders = new Set([...server.matchAll(/res\.setHeader\(\s*"([A-Za-z-]+)"/g)].map((m) => m[1].toLowerCase()));
    for (const h of ["content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options", "strict-transport-security"]) expect(appHeaders).toContain(h);
    const added = directives(nginxConf, "add_header").map((d) => d.split(" ")[0].toLowerCase());
    expect(added.filter((h) => appHeaders.has(h))).toEqual([]);
    expect(added.filter((h) => h === "cache-control" || h === "expires")).toEqual([]);
    expect(directives(nginxConf, "expires")).toEqual([]);
    expect(server).toMatch(/app\.use\(compression\(\)\)/);
    expect(directives(nginxConf, "gzip")).toEqual(["off"]);
  });

  test("/build/ and /i18n/ are kept by nginx for as long as the app's own long Cache-Control says", async () => {
    for (const where of ["/build/", "/i18n/"]) {
      const block = locationBlock(nginxConf, where);
      expect(block, where).not.toBeNull();
      expect(directives(block!, "proxy_cache")).toEqual(["studio_hub_static"]);
      expect(directives(block!, "proxy_pass")).toEqual(["http://studio_hub"]);
      // nginx follows the app's headers: none of its own that would override them
      expect(directives(block!, "proxy_cache_valid")).toEqual([]);
      expect(directives(block!, "proxy_ignore_headers")).toEqual([]);
    }
    expect(directives(nginxConf, "proxy_cache_path")[0]).toMatch(/keys_zone=studio_hub_static:/);
    expect(readFileSync("server.mjs", "utf8")).toMatch(/app\.use\("\/build", express\.static\("public\/build", \{ immutable: true, maxAge: "1y" \}\)\)/);
    const current = i18nLoader({ params: { file: `en.${catalogueVersion("en")}.js` }, request: new Request("http://localhost/"), context: {} });
    expect(current.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    const old = i18nLoader({ params: { file: "en.0000000000.js" }, request: new Request("http://localhost/"), context: {} });
    expect(old.headers.get("Cache-Control")).toBe("no-cache");
  });

  test("the upstream lists several app servers on the ports their units listen on", () => {
    const upstream = /upstream\s+studio_hub\s*\{([^}]*)\}/.exec(nginxConf.replace(/#.*$/gm, ""));
    expect(upstream).not.toBeNull();
    const servers = directives(upstream![1], "server");
    expect(servers.length).toBeGreaterThanOrEqual(2);
    for (const s of servers) expect(s).toMatch(/^\d{1,3}(\.\d{1,3}){3}:\d{4,5}\b/);
    expect(directives(nginxConf, "proxy_pass").every((p) => p === "http://studio_hub")).toBe(true);
  });

  const nginx = spawnSync("sh", ["-c", "command -v nginx || ls /usr/sbin/nginx 2>/dev/null"], { encoding: "utf8" }).stdout.trim().split("\n")[0];

  /** nginx -t on the file inside a wrapper, its paths moved into a temporary folder. */
  function nginxTest(conf: string, name: string) {
    const dir = path.join(tmp, name);
    for (const sub of ["log", "cache", "ssl", "acme", "body"]) mkdirSync(path.join(dir, sub), { recursive: true });
    const ssl = path.join(tmp, "ssl");
    if (!existsSync(path.join(ssl, "fullchain.pem"))) {
      mkdirSync(ssl, { recursive: true });
      const r = spawnSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "1",
          "-subj",
          "/CN=hub.example.cn",
          "-keyout",
          path.join(ssl, "privkey.pem"),
          "-out",
          path.join(ssl, "fullchain.pem"),
        ],
        {
          encoding: "utf8",
        },
      );
      if (r.status !== 0) throw new Error(`openssl could not make a test certificate:\n${r.stderr}`);
    }
    for (const f of ["fullchain.pem", "privkey.pem"]) copyFileSync(path.join(ssl, f), path.join(dir, "ssl", f));
    const moved = conf
      .replaceAll("/var/log/nginx/", `${dir}/log/`)
      .replaceAll("/var/cache/nginx/", `${dir}/cache/`)
      .replaceAll("/etc/ssl/studio-hub/", `${dir}/ssl/`)
      .replaceAll("/var/www/acme", `${dir}/acme`);
    writeFileSync(path.join(dir, "studio-hub.conf"), moved);
    writeFileSync(
      path.join(dir, "nginx.conf"),
      `pid ${dir}/nginx.pid;\nerror_log ${dir}/log/error.log;\nevents {}\nhttp {\n  client_body_temp_path ${dir}/body;\n  include ${dir}/studio-hub.conf;\n}\n`,
    );
    const r = spawnSync(nginx, ["-t", "-q", "-p", dir, "-e", `${dir}/log/error.log`, "-c", path.join(dir, "nginx.conf")], { encoding: "utf8" });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  }

  test("nginx -t accepts it, without a warning", () => {
    expect(nginx, "nginx is not installed: scripts/test.sh installs Debian's nginx; or apt-get install nginx").toMatch(/nginx$/);
    const r = nginxTest(nginxConf, "nginx-ok");
    expect(r.out).toBe("");
    expect(r.status).toBe(0);
  });

  test("nginx -t does catch a mistake", () => {
    expect(nginx).toMatch(/nginx$/);
    const r = nginxTest(nginxConf.replace("client_max_body_size 11m;", "client_max_body_size 11m"), "nginx-broken");
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/emerg/);
  });
});
