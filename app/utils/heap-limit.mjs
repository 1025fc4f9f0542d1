// The V8 old-space limit a server process gets, from the size of the hub it serves (issue 11).
//
// Measured on the seed content (docs/performance.md, "Memory"): the live JavaScript heap of a server
// process is ~80 MB, yet under 16 concurrent renders its resident memory climbs to ~420 MB and stays
// there — V8 sizes the old space for the machine (gigabytes), so garbage piles up between major
// collections and the pages it held are not given back. With the old space capped at 192 MB the same
// load leaves it at ~300 MB, at the same requests per second. The cap has to grow with the content:
// the search, peers and candidates indexes live in that heap (2.1–2.4 GB resident at 100,000
// documents), so it is 192 MB plus 24 KB per search document — generous, since a process that
// reaches its cap ends. Set --max-old-space-size yourself (NODE_OPTIONS) and this stays out of the way.
// Plain JavaScript: the launchers (scripts/start.mjs, server.mjs) import it unbuilt.
import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";

export const BASE_MB = 192;
export const PER_DOCUMENT_KB = 24;

/** @param {number} documents */
export function heapLimitMb(documents) {
  return Math.ceil(BASE_MB + (Math.max(0, documents) * PER_DOCUMENT_KB) / 1024);
}

/** Whether the limit was given already (on the command line or in NODE_OPTIONS). */
export function heapLimitGiven(execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? "") {
  return [...execArgv, ...nodeOptions.split(/\s+/)].some((a) => a.startsWith("--max-old-space-size") || a.startsWith("--max_old_space_size"));
}

/**
 * The search documents in the database at `url`: 0 for a database not made yet, null when it cannot
 * be read (PostgreSQL down at start): no limit then, rather than one too small for the hub.
 * @param {string} url
 * @returns {Promise<number | null>}
 */
export async function searchDocuments(url) {
  try {
    if (/^postgres(ql)?:\/\//.test(url)) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const r = await client.query(`SELECT count(*)::int AS n FROM "SearchDoc"`);
        return Number(r.rows[0]?.n ?? 0);
      } finally {
        await client.end();
      }
    }
    const file = path.resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
    if (!existsSync(file)) return 0;
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return Number(db.prepare(`SELECT count(*) AS n FROM SearchDoc`).pluck().get() ?? 0);
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/**
 * The flags a server process is started with: the old-space limit for the hub at `url`, unless one
 * was given.
 * @param {string} url
 * @returns {Promise<string[]>}
 */
export async function heapFlags(url) {
  if (heapLimitGiven()) return [];
  const documents = await searchDocuments(url);
  return documents === null ? [] : [`--max-old-space-size=${heapLimitMb(documents)}`];
}
