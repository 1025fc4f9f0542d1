import { redirect } from "@remix-run/node";
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { z } from "zod";
import { db } from "./db.server";
import { forbidden } from "./http.server";
import { burnVerifyTime, hashPassword, verifyPassword } from "./password.server";
import { getUser, type SessionUser } from "./session.server";

export const EMAIL = z.string().trim().toLowerCase().max(200, "form.email.invalid").pipe(z.email("form.email.invalid"));
export const PASSWORD = z.string().min(10, "form.password.short").max(200, "form.password.long");

export const LoginSchema = z.object({
  email: EMAIL,
  password: z.string().min(1, "form.password.required").max(200, "form.password.long"),
  redirectTo: z.string().optional(),
});

/** Why a login failed, in terms safe to show: never whether the account exists. */
export class LoginError extends Error {
  constructor(
    public code: "invalid" | "rate-limited",
    public retryMinutes = 0,
  ) {
    super(code);
  }
}

const WINDOW_MS = 15 * 60_000;
/**
 * Failed attempts allowed in 15 minutes: per account *from one address* (so nobody elsewhere can
 * lock the real owner out), and per address across accounts (guessing many accounts).
 */
export const LIMITS = { pair: 5, address: 30 };

/** Writes one attempt per key (login counters, and the password-reset ones of user.server.ts), in one transaction. */
export function recordAttempts(keys: string[]) {
  return db.$transaction(keys.map((key) => db.loginAttempt.create({ data: { key }, select: { id: true } })));
}

/**
 * Checks a login. The attempt is written down first — one insert per counter, each atomic in the
 * database, so it holds across server processes — and then counted: of any number of attempts
 * sent at once, only the first LIMITS.pair can see a count within the limit, so at most that many
 * ever reach argon2. A success takes its attempt back.
 */
export async function verifyLogin(email: string, password: string, clientAddress: string) {
  const address = addressForLimits(clientAddress);
  const pairKey = `pair:${email}|${address}`;
  const addressKey = `ip:${address}`;
  const [, addressRow] = await recordAttempts([pairKey, addressKey]);
  const since = new Date(Date.now() - WINDOW_MS);
  const [byPair, byAddress] = await Promise.all([
    db.loginAttempt.count({ where: { key: pairKey, createdAt: { gt: since } } }),
    db.loginAttempt.count({ where: { key: addressKey, createdAt: { gt: since } } }),
  ]);
  if (Math.random() < 0.01) await db.loginAttempt.deleteMany({ where: { createdAt: { lt: since } } });
  if (byPair > LIMITS.pair || byAddress > LIMITS.address) throw new LoginError("rate-limited", 15);
  const user = await db.user.findUnique({ where: { email } });
  const usable = user && user.emailVerifiedAt && !user.disabledAt;
  const ok = usable ? await verifyPassword(user.passwordHash, password) : (await burnVerifyTime(password), false);
  if (!ok || !user) throw new LoginError("invalid");
  await db.loginAttempt.deleteMany({ where: { OR: [{ key: pairKey }, { id: addressRow.id }] } });
  return { id: user.id };
}

/**
 * The address rate limits count by: an IPv4-mapped address as plain IPv4, and an IPv6 address by
 * its /64, since one subscriber usually holds a whole /64 and could otherwise rotate through it.
 */
export function addressForLimits(address: string): string {
  const a = address
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "");
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a);
  if (mapped) return mapped[1];
  if (!a.includes(":") || !/^[0-9a-f:.]+$/.test(a)) return a;
  const [head, tail = ""] = a.split("::");
  const left = head ? head.split(":") : [];
  const right = a.includes("::") && tail ? tail.split(":") : [];
  const groups = a.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

export const authenticator = new Authenticator<{ id: string }>();
authenticator.use(
  new FormStrategy(async ({ form, request }) => {
    const parsed = LoginSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) throw new LoginError("invalid");
    const address = (request.headers.get("X-Client-Address") ?? "unknown").slice(0, 80);
    return verifyLogin(parsed.data.email, parsed.data.password, address);
  }),
  "password",
);

export { hashPassword };

/** The signed-in user, or a redirect to the login page that comes back here afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

export const isSiteAdmin = (user: { role: string } | null) => user?.role === "admin";
export const isCoordinator = (user: { role: string } | null) => user?.role === "coordinator" || user?.role === "admin";

/** The user's role in a studio: "admin", "member" or null. Site admins act as studio admins. */
export function studioRole(user: SessionUser | null, studioId: string): "admin" | "member" | null {
  if (!user) return null;
  if (user.role === "admin") return "admin";
  const m = user.memberships.find((x) => x.studioId === studioId);
  return m ? (m.role === "admin" ? "admin" : "member") : null;
}

/** Members and admins of the studio (and site admins) may edit its profile, results and patents. */
export async function requireStudioEditor(request: Request, studioId: string): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!studioRole(user, studioId)) throw forbidden("refused.studioMember");
  return user;
}

export async function requireStudioAdmin(request: Request, studioId: string): Promise<SessionUser> {
  const user = await requireUser(request);
  if (studioRole(user, studioId) !== "admin") throw forbidden("refused.studioAdmin");
  return user;
}

export async function requireCoordinator(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!isCoordinator(user)) throw forbidden("refused.coordinator");
  return user;
}

export async function requireSiteAdmin(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!isSiteAdmin(user)) throw forbidden("refused.siteAdmin");
  return user;
}
