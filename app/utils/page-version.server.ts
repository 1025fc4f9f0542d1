import { createHash, randomBytes } from "node:crypto";
import { dataVersion, type DataVersion } from "./data-version.server";
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

let version: DataVersion | null = null;
let lastVersion: number | string | null = null;
let generation = 0;
/** Which process and run the generation belongs to: generations of two processes never compare equal. */
const run = randomBytes(6).toString("base64url");

function advance(v: number | string | null): number {
  if (v !== lastVersion) {
    lastVersion = v;
    generation++;
  }
  return generation;
}

/** The database's generation in this process (a promise on PostgreSQL, which is asked over the network). */
export function currentGeneration(): number | Promise<number> {
  version ??= dataVersion(getEnv().databaseFile);
  const v = version();
  return v instanceof Promise ? v.then(advance) : advance(v);
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
