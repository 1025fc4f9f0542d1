import { createCookie } from "@remix-run/node";
import { createHmac, timingSafeEqual } from "node:crypto";
import { refusal } from "./http.server";
import { getEnv } from "./env.server";
import { getSessionId, randomToken } from "./session.server";

// A signed, HttpOnly cookie holds a random value; every form carries a token derived from it AND
// from the session the cookie of this request belongs to (HMAC with the server's secret). A
// cross-site page can make a browser send the cookies (SameSite=Lax already stops most of that)
// but cannot read them; and a cookie + token pair planted from another visit (the attacker's own)
// does not match the victim's session. The Origin header, when the browser sends one, must be ours.

export const CSRF_FIELD = "csrf";

const csrfCookie = createCookie("csrf", {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  secure: process.env.NODE_ENV === "production" && process.env.INSECURE_COOKIES !== "1",
  secrets: [getEnv().SESSION_SECRET],
});

/** The visitor's token, and a Set-Cookie header when a new one had to be made. */
export async function getCsrfToken(request: Request): Promise<{ token: string; setCookie: string | null }> {
  const existing = await csrfCookie.parse(request.headers.get("Cookie"));
  const sessionId = await getSessionId(request);
  if (typeof existing === "string" && existing.length >= 32) return { token: tokenFor(existing, sessionId), setCookie: null };
  const secret = randomToken();
  return { token: tokenFor(secret, sessionId), setCookie: await csrfCookie.serialize(secret) };
}

function tokenFor(cookieValue: string, sessionId: string | null): string {
  return createHmac("sha256", getEnv().SESSION_SECRET)
    .update(`csrf\0${cookieValue}\0${sessionId ?? ""}`)
    .digest("base64url");
}

export class CsrfError extends Error {}

/** Throws a 403 unless the form (or the X-CSRF-Token header) carries the visitor's token. */
export async function requireCsrf(request: Request, form: FormData | null): Promise<void> {
  // set by server.mjs's foreign-origin guard, which takes such an Origin off before Remix sees it
  if (request.headers.get("X-Foreign-Origin") === "1") throw refusal(403, "csrf", "csrf.foreignOrigin");
  const origin = request.headers.get("Origin");
  if (origin && origin !== "null") {
    const host = request.headers.get("X-Forwarded-Host") ?? request.headers.get("Host");
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = null;
    }
    if (!host || originHost !== host) throw refusal(403, "csrf", "csrf.foreignOrigin");
  }
  const cookie = await csrfCookie.parse(request.headers.get("Cookie"));
  const sent = form?.get(CSRF_FIELD) ?? request.headers.get("X-CSRF-Token");
  if (typeof cookie !== "string" || typeof sent !== "string" || !equal(tokenFor(cookie, await getSessionId(request)), sent)) {
    throw refusal(403, "csrf", "csrf.badToken");
  }
}

function equal(a: string, b: string) {
  const x = Buffer.from(a),
    y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
