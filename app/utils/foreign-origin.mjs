// Express middleware for server.mjs, ahead of the Remix handler. Remix 2 refuses a write whose
// Origin is not this host by throwing inside its request handler, which answers a bare 500 and
// logs a stack trace. This marks such a request instead and takes the Origin off, so Remix goes on
// to the route, whose requireCsrf (app/utils/csrf.server.ts) answers 403 with the site's own page
// (or JSON), in the visitor's language. Plain JavaScript: server.mjs imports it unbuilt.

export const FOREIGN_ORIGIN_HEADER = "x-foreign-origin";
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** The host an Origin header names, or "" when it is not a URL. */
function originHost(origin) {
  try {
    return new URL(origin).host;
  } catch {
    return "";
  }
}

/** The same host the Remix check compares with: X-Forwarded-Host's first value, else Host. */
function requestHost(headers) {
  const forwarded = String(headers["x-forwarded-host"] ?? "")
    .split(",")[0]
    .trim();
  return forwarded || String(headers.host ?? "");
}

/** @param {import("express").Request} req @param {unknown} _res @param {() => void} next */
export function foreignOriginGuard(req, _res, next) {
  delete req.headers[FOREIGN_ORIGIN_HEADER]; // only this middleware may say so
  const origin = req.headers.origin;
  // "null" (a sandboxed frame, a file:// page) is no origin of ours either; Remix would throw on it
  if (!SAFE.has(req.method) && typeof origin === "string") {
    const host = requestHost(req.headers);
    if (!host || origin === "null" || originHost(origin) !== host) {
      req.headers[FOREIGN_ORIGIN_HEADER] = "1";
      delete req.headers.origin;
    }
  }
  next();
}
