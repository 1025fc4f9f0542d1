import { createCookie } from "@remix-run/node";
import { timingSafeEqual } from "node:crypto";
import { getEnv } from "./env.server";
import { randomToken } from "./session.server";

// Double-submit token: a signed, HttpOnly cookie and the same value in every form. A cross-site
// page can make a browser send the cookie (SameSite=Lax already stops most of that) but cannot read
// it to put the value in the form. The Origin header, when the browser sends one, must be ours.

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
  if (typeof existing === "string" && existing.length >= 32) return { token: existing, setCookie: null };
  const token = randomToken();
  return { token, setCookie: await csrfCookie.serialize(token) };
}

export class CsrfError extends Error {}

/** Throws a 403 unless the form (or the X-CSRF-Token header) carries the visitor's token. */
export async function requireCsrf(request: Request, form: FormData | null): Promise<void> {
  const origin = request.headers.get("Origin");
  if (origin && origin !== "null") {
    const host = request.headers.get("X-Forwarded-Host") ?? request.headers.get("Host");
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = null;
    }
    if (!host || originHost !== host) throw forbidden("this form was sent from another site");
  }
  const cookie = await csrfCookie.parse(request.headers.get("Cookie"));
  const sent = form?.get(CSRF_FIELD) ?? request.headers.get("X-CSRF-Token");
  if (typeof cookie !== "string" || typeof sent !== "string" || !equal(cookie, sent)) {
    throw forbidden("the form's security token is missing or out of date — reload the page and try again");
  }
}

function equal(a: string, b: string) {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function forbidden(message: string) {
  return Response.json({ error: { code: "csrf", message } }, { status: 403 });
}
