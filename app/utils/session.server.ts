import { createCookie, redirect } from "@remix-run/node";
import { createHash, randomBytes } from "node:crypto";
import { db, type Tx } from "./db.server";
import { getEnv } from "./env.server";

export const SESSION_DAYS = 30;
/** A session unused this long ends, whatever its absolute lifetime left. */
export const IDLE_DAYS = 7;
// the last-seen time is written at most this often: not one write per request
const TOUCH_MS = 60 * 60_000;

/** The cookie holds only the session's id; the session itself lives in the database (revocable). */
export const sessionCookie = createCookie("__session", {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  secure: process.env.NODE_ENV === "production" && process.env.INSECURE_COOKIES !== "1",
  secrets: [getEnv().SESSION_SECRET],
  maxAge: SESSION_DAYS * 24 * 60 * 60,
});

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createSession(userId: string, request: Request): Promise<string> {
  const id = randomToken();
  await db.session.create({
    data: {
      id,
      userId,
      expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000),
      userAgent: request.headers.get("User-Agent")?.slice(0, 300) ?? null,
    },
  });
  return sessionCookie.serialize(id);
}

export async function getSessionId(request: Request): Promise<string | null> {
  const id = await sessionCookie.parse(request.headers.get("Cookie"));
  return typeof id === "string" && id.length >= 20 ? id : null;
}

export type SessionUser = NonNullable<Awaited<ReturnType<typeof getUser>>>;

/** The signed-in user with their studio memberships, or null. Expired sessions count as none. */
export async function getUser(request: Request) {
  const id = await getSessionId(request);
  if (!id) return null;
  const session = await db.session.findUnique({
    where: { id },
    include: {
      user: {
        select: {
          id: true,
          email: true,
          name: true,
          role: true,
          locale: true,
          disabledAt: true,
          memberships: { select: { role: true, studioId: true, studio: { select: { slug: true, name: true } } } },
        },
      },
    },
  });
  if (!session) return null;
  const now = Date.now();
  const lastSeen = (session.lastSeenAt ?? session.createdAt).getTime();
  if (session.expiresAt.getTime() < now || session.user.disabledAt || now - lastSeen > IDLE_DAYS * 86_400_000) {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  if (now - lastSeen > TOUCH_MS) await db.session.updateMany({ where: { id }, data: { lastSeenAt: new Date(now) } });
  const { disabledAt: _, ...user } = session.user;
  return user;
}

/** Sessions of the user that still sign in: neither past 30 days nor idle for 7. */
export function countActiveSessions(userId: string) {
  const now = Date.now();
  const idleSince = new Date(now - IDLE_DAYS * 86_400_000);
  return db.session.count({
    where: {
      userId,
      expiresAt: { gt: new Date(now) },
      OR: [{ lastSeenAt: { gt: idleSince } }, { lastSeenAt: null, createdAt: { gt: idleSince } }],
    },
  });
}

/**
 * Ends a user's sessions (all, or all but the one kept): the one write path for sessions besides
 * signing in and out. Hand it a transaction client, or `db` inside a batch `db.$transaction([...])`.
 */
export function endSessions(client: Tx, userId: string | string[], o: { except?: string | null } = {}) {
  return client.session.deleteMany({ where: { userId: typeof userId === "string" ? userId : { in: userId }, ...(o.except ? { id: { not: o.except } } : {}) } });
}

export async function logout(request: Request, redirectTo = "/") {
  const id = await getSessionId(request);
  if (id) await db.session.deleteMany({ where: { id } });
  return redirect(redirectTo, { headers: { "Set-Cookie": await sessionCookie.serialize("", { maxAge: 0 }) } });
}
