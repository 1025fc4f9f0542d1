// The production server: Express with the Remix request handler. It exists (rather than
// remix-serve) to give loaders the client's address (login rate limiting), to set security headers
// with a per-request script nonce, and to serve uploads with the right headers.
//
// WEB_CONCURRENCY=N (default 1) runs N such processes behind one port with node:cluster, one per
// core: each keeps its own in-memory search index, and every cache in them follows writes made by
// the others through the database (SearchChange, PRAGMA data_version), so any process may answer
// any request. Background work that must run once (the Meilisearch outbox) runs in the first;
// scheduled jobs (reminders) are claimed in the database by whichever process is first to tick.
// With PostgreSQL the same holds for servers on separate machines sharing only DATABASE_URL: they
// take turns at the outbox and claim its rows, and read one session secret from the database
// (docs/decisions/0027-postgresql.md, tests/integration/two-servers.test.ts).
import { createReadableStreamFromReadable, createRequestHandler, writeReadableStreamToWritable } from "@remix-run/node";
import compression from "compression";
import express from "express";
import cluster from "node:cluster";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { foreignOriginGuard } from "./app/utils/foreign-origin.mjs";
import { NEWER_DATABASE_EXIT, NewerDatabaseError, refuseNewerDatabase } from "./app/utils/migration-guard.mjs";
import { heapFlags } from "./app/utils/heap-limit.mjs";

const PORT = Number(process.env.PORT ?? 3000);
const WORKERS = Number(process.env.WEB_CONCURRENCY ?? 1);
if (!Number.isInteger(WORKERS) || WORKERS < 1 || WORKERS > 64) {
  console.error(`WEB_CONCURRENCY must be a whole number from 1 to 64, not "${process.env.WEB_CONCURRENCY}"`);
  process.exit(1);
}

// A database migrated by a newer version of the hub is never served (app/utils/migration-guard.mjs):
// asked once, by the process that starts the others. A database that cannot be reached is not a
// reason to stay down: the server starts as before and /api/health reports it.
if (cluster.isPrimary) {
  try {
    await refuseNewerDatabase();
  } catch (e) {
    if (e instanceof NewerDatabaseError) {
      console.error(e.message);
      process.exit(NEWER_DATABASE_EXIT);
    }
    console.warn(`could not check the database's migrations: ${e instanceof Error ? e.message : String(e)}`);
  }
}

if (WORKERS > 1 && cluster.isPrimary) {
  // each worker's old-space limit follows the hub's size when it is started, unless given
  // (app/utils/heap-limit.mjs; npm start gives it to this process, and the workers inherit it): a
  // worker replaced after the hub has grown gets room for it
  const limit = async () => cluster.setupPrimary({ execArgv: [...process.execArgv, ...(await heapFlags(process.env.DATABASE_URL ?? "file:./data/hub.db"))] });
  await limit();
  let stopping = false;
  let quickExits = 0;
  const roles = new Map(); // worker id → [its HUB_WORKER number, when it started]: a replacement takes over its role
  const fork = (n) => roles.set(cluster.fork({ HUB_WORKER: String(n) }).id, [n, Date.now()]);
  for (let n = 1; n <= WORKERS; n++) fork(n);
  let listening = 0;
  cluster.on("listening", () => {
    quickExits = 0; // a process got as far as listening: starting works
    if (++listening === WORKERS) console.log(`Studio Alliance Hub on http://localhost:${PORT} (${WORKERS} processes)`);
  });
  cluster.on("exit", (worker, code, signal) => {
    const [n, started] = roles.get(worker.id);
    roles.delete(worker.id);
    if (stopping) return;
    // a process that cannot even start (no build, say) would be restarted forever
    if (Date.now() - started < 30_000 && ++quickExits >= 5) {
      console.error(`server processes keep ending before they listen (the last: ${signal ?? `exit code ${code}`}); stopping`);
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
      process.exitCode = 1;
      return;
    }
    console.error(`server process ${n} ended (${signal ?? `exit code ${code}`}); starting another`);
    setTimeout(() => limit().then(() => fork(n)), 500);
  });
  for (const sig of ["SIGINT", "SIGTERM"]) {
    process.on(sig, () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
      const timer = setTimeout(() => process.exit(0), 5000);
      timer.unref();
      cluster.on("exit", () => {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      });
    });
  }
} else {
  await serve();
}

/** As @remix-run/express makes it (host and port from X-Forwarded-Host when trusted), with the body limited above. */
function remixRequest(req, res) {
  const port = [req.get("X-Forwarded-Host"), req.get("host")].map((h) => Number.parseInt(h?.split(":")[1] ?? "", 10)).find(Number.isSafeInteger);
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  // React Router decodes the path and reads a leading "/\" (sent as /%5C) as "//", the start of another
  // host, and throws while rendering. No page's address starts so: the backslashes of the leading run
  // stay encoded once more, reach the catch-all route as text and get the 404 page.
  url.pathname = url.pathname.replace(/^\/(?:\/|%5c)*/i, (run) => run.replace(/%5c/gi, "%255C"));
  let controller = new AbortController();
  const headers = nodeHeaders(req);
  const init = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    if (res.locals.body !== undefined) {
      headers.delete("transfer-encoding");
      init.body = res.locals.body;
    } else {
      init.body = createReadableStreamFromReadable(req);
      init.duplex = "half";
    }
  }
  // loaders and actions are aborted when the visitor goes away before the answer is sent
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return new Request(url.href, init);
}

async function sendRemixResponse(res, response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.headers.get("Content-Type")?.match(/text\/event-stream/i)) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

function nodeHeaders(req) {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else if (v !== undefined) headers.set(k, v);
  }
  return headers;
}

async function serve() {
  // on PostgreSQL every server takes the same session secret from the database when none is set
  const url = process.env.DATABASE_URL ?? "";
  if (/^postgres(ql)?:\/\//.test(url) && !process.env.SESSION_SECRET) {
    const { sessionSecretFromDatabase } = await import("./app/utils/session-secret.mjs");
    const { secret, created } = await sessionSecretFromDatabase(url);
    if (created) console.warn("SESSION_SECRET is not set: generated one and kept it in the database (table hub_secret), where every server reads it");
    process.env.SESSION_SECRET = secret;
  }
  const build = await import(path.resolve("build/index.js"));
  // The health check opens the database and loads the search index, and one search loads the
  // word segmenter: done before listening, the first visitor does not wait for them (seconds,
  // with a hundred thousand documents).
  for (const [id, url] of [
    ["routes/api.health", "/api/health"],
    ["routes/api.search", "/api/search?q=%E5%B7%A5%E4%BD%9C%E5%AE%A4"],
  ]) {
    try {
      await build.routes[id]?.module.loader?.({ request: new Request(`http://localhost${url}`), params: {}, context: {} });
    } catch (e) {
      // the same failure answers the first request, where /api/health reports it
      console.error(`warming up ${url} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  const app = express();
  app.disable("x-powered-by");
  if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY === "1" ? 1 : process.env.TRUST_PROXY);
  app.use(compression());
  // a write from another site reaches its route's CSRF check (403) instead of Remix's own 500
  app.use(foreignOriginGuard);

  app.use((req, res, next) => {
    // only where a TLS proxy says the visitor came over https: a plain-http site must stay reachable
    if (process.env.TRUST_PROXY && req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    const nonce = randomBytes(16).toString("base64");
    res.locals.nonce = nonce;
    res.setHeader(
      "Content-Security-Policy",
      [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}'`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join("; "),
    );
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("X-Frame-Options", "DENY");
    next();
  });

  // Request bodies are limited per route before anything reads them (app/utils/body-limit.server.ts):
  // a declared Content-Length over the limit is answered 413 at once, and a chunked body is
  // counted as it arrives — buffered up to the limit, never more — and answered 413 the moment it
  // passes it. The rest of an oversize body is never kept. A declared body of at most DRAIN_UP_TO
  // bytes is read after the answer and dropped: closing a connection with unread bytes resets it,
  // and a proxy still sending the body it buffered (nginx, deploy/nginx: 11 MB at most) then answers
  // 502 instead of this 413 (tests/integration/deploy-nginx.test.ts). Anything larger, and a
  // chunked body, is not read on: the connection closes after the answer.
  const DRAIN_UP_TO = 16 * 1024 * 1024;
  const { bodyLimitFor, requestTooLarge } = build.entry.module;
  const tooLarge = async (req, res, limit, drain = false) => {
    req.pause();
    const response = await requestTooLarge(new Request(`http://${req.headers.host ?? "localhost"}${req.originalUrl}`, { headers: nodeHeaders(req) }), limit);
    if (drain) {
      response.headers.delete("Connection");
      req.resume();
    } else res.on("finish", () => req.socket.destroySoon?.() ?? req.socket.end());
    await sendRemixResponse(res, response);
  };
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const limit = bodyLimitFor(req.path);
    const declared = req.headers["content-length"];
    if (declared !== undefined) return Number(declared) > limit ? tooLarge(req, res, limit, Number(declared) <= DRAIN_UP_TO).catch(next) : next();
    if (!req.headers["transfer-encoding"]) return next();
    const chunks = [];
    let seen = 0;
    let over = false;
    req.on("data", (chunk) => {
      if (over) return;
      seen += chunk.length;
      if (seen > limit) {
        over = true;
        chunks.length = 0;
        tooLarge(req, res, limit).catch(next);
      } else chunks.push(chunk);
    });
    req.on("end", () => {
      if (over) return;
      res.locals.body = Buffer.concat(chunks);
      next();
    });
    req.on("error", (e) => over || next(e));
  });

  // The JSON search endpoints answer every keystroke in the search box and every API search, so
  // they go straight to their route modules' loaders — the same code Remix runs for them —
  // without Remix's per-request route matching or the static-file lookups below. A loader error
  // that is not a Response goes on to Remix, which answers and logs it as for any route.
  for (const [pathname, id] of [
    ["/api/search", "routes/api.search"],
    ["/api/suggest", "routes/api.suggest"],
  ]) {
    const loader = build.routes[id]?.module.loader;
    if (!loader) throw new Error(`the build has no loader for ${id}`);
    app.get(pathname, async (req, res, next) => {
      if (req.method !== "GET") return next();
      const headers = nodeHeaders(req);
      let response;
      try {
        const request = new Request(`http://${req.headers.host ?? "localhost"}${req.originalUrl}`, { headers });
        response = await loader({ request, params: {}, context: { clientAddress: req.ip ?? "unknown", nonce: res.locals.nonce } });
      } catch (e) {
        if (!(e instanceof Response)) return next();
        response = e;
      }
      res.status(response.status);
      response.headers.forEach((value, key) => res.setHeader(key, value));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  }

  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));

  // A repeat visit to an anonymous page is answered 304 before anything renders when nothing it
  // was made from has changed: the build, the database (every commit moves the tag) and the
  // request's cookies and language (app/utils/page-version.server.ts, docs/decisions/0017).
  // Signed-in pages are private and never stored; uploads and the API keep their own headers.
  const { anonymousPageTag } = build.entry.module;
  const conditional = (req) =>
    (req.method === "GET" || req.method === "HEAD") && !req.path.startsWith("/api/") && !req.path.startsWith("/uploads/") && !/(?:^|;\s*)__session=/.test(req.headers.cookie ?? "");
  app.use(async (req, res, next) => {
    if (!conditional(req)) return next();
    let tag;
    try {
      // (a promise with PostgreSQL, which is asked over the network)
      tag = await anonymousPageTag(build.assets.version, req.originalUrl, { cookie: req.headers.cookie, acceptLanguage: req.headers["accept-language"] });
    } catch (e) {
      return next(e);
    }
    res.locals.etag = tag;
    const asked = req.headers["if-none-match"];
    if (!asked || !asked.split(/\s*,\s*/).includes(tag)) return next();
    // the stored page keeps the policy (and script nonce) it was sent with
    res.removeHeader("Content-Security-Policy");
    res.setHeader("ETag", tag);
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("Vary", "Cookie, Accept-Language");
    res.status(304).end();
  });

  // An anonymous page another visitor has already seen, since the database last changed, is
  // answered from memory with this visitor's CSRF token and nonce put in (app/utils/page-cache.server.ts).
  const { anonymousPageKey, keptPage, keepPage, currentGeneration, isPage } = build.entry.module;
  app.get("*", async (req, res, next) => {
    if (!res.locals.etag) return next();
    try {
      const request = new Request(`http://${req.headers.host ?? "localhost"}${req.originalUrl}`, { headers: nodeHeaders(req) });
      const key = await anonymousPageKey(build.assets.version, request);
      if (!key) return next();
      const kept = await keptPage(key, request, res.locals.nonce);
      if (!kept) {
        // read before rendering: a commit while the page renders keeps it from being kept as current
        res.locals.page = { key, generation: await currentGeneration(), token: null };
        return next();
      }
      res.status(kept.status);
      for (const [name, value] of kept.headers) res.append(name, value);
      res.setHeader("ETag", res.locals.etag);
      res.setHeader("Cache-Control", "no-cache");
      res.setHeader("Vary", "Cookie, Accept-Language");
      res.setHeader("X-Page-Cache", "hit");
      res.end(kept.body);
    } catch (e) {
      next(e);
    }
  });

  // @remix-run/express's handler, except that a chunked body already read by the limit above is
  // handed over from its buffer
  const handleRequest = createRequestHandler(build, process.env.NODE_ENV ?? "production");
  app.all("*", async (req, res, next) => {
    try {
      const page = res.locals.page;
      const context = { clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown", nonce: res.locals.nonce, ...(page ? { page } : {}) };
      let response = await handleRequest(remixRequest(req, res), context);
      if (res.locals.etag && response.status === 200 && !response.headers.has("Cache-Control")) {
        res.setHeader("ETag", res.locals.etag);
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("Vary", "Cookie, Accept-Language");
      }
      if (page && response.status === 200 && response.body && isPage(response.headers.get("Content-Type"))) {
        const html = await response.text();
        keepPage(page.key, page.generation, response, html, page.token, res.locals.nonce);
        response = new Response(html, { status: response.status, statusText: response.statusText, headers: response.headers });
      }
      await sendRemixResponse(res, response);
    } catch (e) {
      next(e);
    }
  });

  const server = app.listen(PORT, () => {
    // (with several processes the one that starts them says when all of them listen)
    if (!cluster.isWorker) console.log(`Studio Alliance Hub on http://localhost:${PORT}`);
    // reminders and other scheduled work: every process ticks, the database decides which one runs a job
    build.entry.module.startScheduledWork();
  });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.close(() => process.exit(0)));
}
