import Database from "better-sqlite3";
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { getEnv } from "./env.server";

// Conditional GETs for anonymous pages (docs/decisions/0017). A page an anonymous visitor sees
// depends on the request (address, language, cookies) and on what the database holds. This module
// turns the second into a number that moves with every commit — PRAGMA data_version on a connection
// of its own, which changes whenever any other connection (this process's Prisma client, another
// server process, an import) commits — so server.mjs can answer a repeat visit 304 before anything
// is rendered, and a change is never served stale after its commit.
//
// On PostgreSQL the number is the server's current snapshot (pg_current_snapshot(): the oldest
// open transaction, the next transaction id and those in progress), read on a connection of its
// own: it differs after every commit of a writing transaction, from any server, and a page rendered
// after reading it sees at least what the snapshot sees (docs/decisions/0027-postgresql.md).

let sqlite: Database.Database | null = null;
let version: (() => number) | null = null;
let lastVersion = -1;
let generation = 0;
/** Which process and run the generation belongs to: generations of two processes never compare equal. */
const run = randomBytes(6).toString("base64url");

let pool: pg.Pool | null = null;
let lastSnapshot = "";

async function currentPostgresGeneration(url: string): Promise<number> {
  pool ??= new pg.Pool({ connectionString: url, max: 1, allowExitOnIdle: true });
  const { rows } = await pool.query<{ s: string }>("SELECT pg_current_snapshot()::text AS s");
  if (rows[0].s !== lastSnapshot) {
    lastSnapshot = rows[0].s;
    generation++;
  }
  return generation;
}

/** The database's generation in this process (a promise on PostgreSQL, which is asked over the network). */
export function currentGeneration(): number | Promise<number> {
  const env = getEnv();
  if (env.postgres) return currentPostgresGeneration(env.databaseFile);
  if (!version) {
    sqlite = new Database(getEnv().databaseFile, { readonly: true, fileMustExist: true });
    const stmt = sqlite.prepare("PRAGMA data_version").pluck();
    version = () => stmt.get() as number;
  }
  const v = version();
  if (v !== lastVersion) {
    lastVersion = v;
    generation++;
  }
  return generation;
}

/**
 * The entity tag of an anonymous page: what it was rendered from — the build, the database's
 * generation in this process, and every request header the page may depend on. Read before the
 * page renders, so a commit during rendering makes the next tag differ.
 */
export function anonymousPageTag(build: string, url: string, headers: { cookie?: string; acceptLanguage?: string }): string | Promise<string> {
  const key = createHash("sha1")
    .update(`${build}\n${url}\n${headers.cookie ?? ""}\n${headers.acceptLanguage ?? ""}`)
    .digest("base64url")
    .slice(0, 16);
  const generation = currentGeneration();
  if (typeof generation !== "number") return generation.then((g) => `W/"${run}.${g}.${key}"`);
  return `W/"${run}.${generation}.${key}"`;
}
