import type { ActionFunctionArgs, AppLoadContext } from "@remix-run/node";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { getCsrfToken } from "~/utils/csrf.server";
import { db } from "~/utils/db.server";
import { hashPassword } from "~/utils/password.server";
import { createSession } from "~/utils/session.server";

// Helpers for tests that act as a signed-in person: users with a role, their session cookie, the
// CSRF pair a page would give them, and form posts carrying both — the way a browser sends them.

/** Mail goes to a folder of this test file's own (app/utils/mailer.server.ts reads it per send). */
export const MAIL_OUTBOX = mkdtempSync(path.join(os.tmpdir(), "hub-mail-"));
process.env.MAIL_OUTBOX_DIR = MAIL_OUTBOX;
afterAll(() => rmSync(MAIL_OUTBOX, { recursive: true, force: true }));

export const ORIGIN = "http://localhost";
export const CLIENT = { clientAddress: "10.0.0.1" } as AppLoadContext;
export const PASSWORD = "correct-horse-battery-42";

let passwordHash: Promise<string> | null = null;
let counter = 0;
/** A short unique suffix for emails, titles and numbers made in one test file. */
export const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export type SiteRole = "member" | "coordinator" | "admin";
export interface TestUser {
  id: string;
  email: string;
  name: string;
  role: SiteRole;
}

/**
 * A confirmed user (password `PASSWORD` unless given), optionally a member or admin of a studio.
 * The hash of the default password is computed once per file: argon2id is slow on purpose.
 */
export async function createUser(
  o: { role?: SiteRole; studio?: string; studioRole?: "member" | "admin"; email?: string; name?: string; password?: string; verified?: boolean } = {},
): Promise<TestUser> {
  const hash = o.password ? await hashPassword(o.password) : await (passwordHash ??= hashPassword(PASSWORD));
  const u = await db.user.create({
    data: {
      email: o.email ?? `user-${unique()}@example.cn`,
      name: o.name ?? `测试用户${counter}`,
      role: o.role ?? "member",
      passwordHash: hash,
      emailVerifiedAt: o.verified === false ? null : new Date(),
    },
  });
  if (o.studio) {
    const studio = await db.studio.findUniqueOrThrow({ where: { slug: o.studio } });
    await db.membership.create({ data: { userId: u.id, studioId: studio.id, role: o.studioRole ?? "member" } });
  }
  return { id: u.id, email: u.email, name: u.name, role: u.role as SiteRole };
}

/** The `name=value` pair of a Set-Cookie header, as the browser sends it back. */
export const cookiePair = (setCookie: string) => setCookie.split(";")[0];

/** A new database session for the user; returns the Cookie header value that carries it. */
export async function sessionCookie(userId: string): Promise<string> {
  return cookiePair(await createSession(userId, new Request(ORIGIN)));
}

/**
 * A fresh CSRF pair as a page would hand it out: the signed cookie and the token for the form.
 * The token is bound to the session of the page's visitor (`session`, a Cookie value), or to none.
 */
export async function csrfPair(session?: string | null): Promise<{ cookie: string; token: string }> {
  const { token, setCookie } = await getCsrfToken(new Request(ORIGIN, { headers: session ? { Cookie: session } : {} }));
  if (!setCookie) throw new Error("expected a new csrf cookie");
  return { cookie: cookiePair(setCookie), token };
}

export type Fields = Record<string, string | string[]>;

export interface PostOptions {
  /** the session cookie (from `sessionCookie`), or none for an anonymous visitor */
  session?: string | null;
  /** the CSRF pair; `"missing"` sends the cookie but no token; default: a fresh valid pair */
  csrf?: { cookie: string; token: string } | "missing";
  /** sent as the Origin header (with Host: localhost) */
  origin?: string;
  headers?: Record<string, string>;
}

/** A browser-like POST of a form (urlencoded), or of a FormData (multipart, token in X-CSRF-Token). */
export async function postRequest(url: string, fields: Fields | FormData, o: PostOptions = {}): Promise<Request> {
  const pair = o.csrf === "missing" || !o.csrf ? await csrfPair(o.session) : o.csrf;
  const withToken = o.csrf !== "missing";
  const headers = new Headers({ Host: "localhost", ...o.headers });
  headers.set("Cookie", [o.session, pair.cookie].filter(Boolean).join("; "));
  if (o.origin) headers.set("Origin", o.origin);
  let body: URLSearchParams | FormData;
  if (fields instanceof FormData) {
    body = fields;
    if (withToken) headers.set("X-CSRF-Token", pair.token);
  } else {
    body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    if (withToken) body.append("csrf", pair.token);
  }
  return new Request(new URL(url, ORIGIN), { method: "POST", headers, body });
}

/** A GET as a signed-in user (or anonymous). */
export function getRequest(url: string, session?: string | null): Request {
  return new Request(new URL(url, ORIGIN), { headers: session ? { Cookie: session } : {} });
}

export function actionArgs(request: Request, params: Record<string, string> = {}, context: AppLoadContext = CLIENT): ActionFunctionArgs {
  return { request, params, context };
}

/** What the browser would get from a loader or action, whether it returned or threw. */
export interface Outcome {
  status: number;
  /** the Location of a redirect */
  location: string | null;
  headers: Headers;
  /** JSON or text of a Response; the data of `data()` or of a plain returned object */
  data: unknown;
  thrown: boolean;
}

/** Runs a loader or action and reports its answer the way Remix (single fetch) would send it. */
export async function settle(run: () => unknown): Promise<Outcome> {
  let value: unknown;
  let thrown = false;
  try {
    value = await run();
  } catch (e) {
    value = e;
    thrown = true;
  }
  if (value instanceof Response) {
    const type = value.headers.get("Content-Type") ?? "";
    const text = value.body ? await value.text() : "";
    const data = type.startsWith("application/json") && text ? JSON.parse(text) : text;
    return { status: value.status, location: value.headers.get("Location"), headers: value.headers, data, thrown };
  }
  if (value && typeof value === "object" && (value as { type?: unknown }).type === "DataWithResponseInit") {
    const d = value as { data: unknown; init: ResponseInit | null };
    const headers = new Headers(d.init?.headers);
    return { status: d.init?.status ?? 200, location: headers.get("Location"), headers, data: d.data, thrown };
  }
  if (thrown) throw value;
  return { status: 200, location: null, headers: new Headers(), data: value, thrown };
}

/** Where a redirect to the login page should send the visitor back to. */
export const loginRedirect = (pathname: string) => `/login?redirectTo=${encodeURIComponent(pathname)}`;

export interface Mail {
  file: string;
  to: string;
  subject: string;
  text: string;
}

/** Every mail in this file's outbox, oldest first, decoded (nodemailer writes base64 or QP). */
export function readMails(): Mail[] {
  return readdirSync(MAIL_OUTBOX)
    .filter((f) => f.endsWith(".eml"))
    .sort()
    .map((file) => ({ file, ...parseEml(readFileSync(path.join(MAIL_OUTBOX, file), "utf8")) }));
}

/** The mails sent to one address, oldest first. */
export const mailsTo = (email: string) => readMails().filter((m) => m.to.includes(email));

/** The first link in a mail's text that starts with `prefix`. */
export function linkIn(mail: Mail, prefix: string): string {
  const m = new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}[^\\s]*`).exec(mail.text);
  if (!m) throw new Error(`no ${prefix} link in the mail "${mail.subject}":\n${mail.text}`);
  return m[0];
}

function parseEml(raw: string): Omit<Mail, "file"> {
  const split = raw.indexOf("\n\n");
  const head = raw.slice(0, split).replace(/\n[ \t]+/g, " ");
  const body = raw.slice(split + 2);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "im").exec(head)?.[1] ?? "";
  const encoding = header("Content-Transfer-Encoding").toLowerCase();
  const text = encoding === "base64" ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8") : encoding === "quoted-printable" ? decodeQuotedPrintable(body) : body;
  return { to: header("To"), subject: decodeWords(header("Subject")), text };
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const flat = s.replace(/=\r?\n/g, "");
  for (let i = 0; i < flat.length; i++) {
    if (flat[i] === "=" && /^[0-9A-F]{2}$/i.test(flat.slice(i + 1, i + 3))) {
      bytes.push(parseInt(flat.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(flat[i], "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

function decodeWords(s: string): string {
  return s
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, enc: string, data: string) =>
      enc.toLowerCase() === "b" ? Buffer.from(data, "base64").toString("utf8") : decodeQuotedPrintable(data.replace(/_/g, " ")),
    )
    .trim();
}
