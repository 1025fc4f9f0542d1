import Database from "better-sqlite3";
import { createHash, randomBytes } from "node:crypto";
import { getEnv } from "./env.server";

// Conditional GETs for anonymous pages (docs/decisions/0017). A page an anonymous visitor sees
// depends on the request (address, language, cookies) and on what the database holds. This module
// turns the second into a number that moves with every commit — PRAGMA data_version on a connection
// of its own, which changes whenever any other connection (this process's Prisma client, another
// server process, an import) commits — so server.mjs can answer a repeat visit 304 before anything
// is rendered, and a change is never served stale after its commit.

let sqlite: Database.Database | null = null;
let version: (() => number) | null = null;
let lastVersion = -1;
let generation = 0;
/** Which process and run the generation belongs to: generations of two processes never compare equal. */
const run = randomBytes(6).toString("base64url");

export function currentGeneration(): number {
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
export function anonymousPageTag(build: string, url: string, headers: { cookie?: string; acceptLanguage?: string }): string {
  const key = createHash("sha1")
    .update(`${build}\n${url}\n${headers.cookie ?? ""}\n${headers.acceptLanguage ?? ""}`)
    .digest("base64url")
    .slice(0, 16);
  return `W/"${run}.${currentGeneration()}.${key}"`;
}
