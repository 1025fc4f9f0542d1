import Database from "better-sqlite3";
import pg from "pg";

/**
 * A value that moves whenever any connection commits to the database, from any process or server:
 * `PRAGMA data_version` on a read-only SQLite connection of its own, or `pg_current_snapshot()` on
 * PostgreSQL (asked over a small pool, so a promise). null while it cannot be read — the SQLite file
 * not created yet, PostgreSQL unreachable — and then callers keep nothing.
 *
 * The read cache (read-cache.server.ts), the page tags (page-version.server.ts) and, through them,
 * the kept pages all follow commits with it (docs/decisions/0017, 0027, 0028).
 */
export type DataVersion = () => number | string | null | Promise<string | null>;

export function dataVersion(database: string): DataVersion {
  if (/^postgres(ql)?:\/\//.test(database)) {
    const pool = new pg.Pool({ connectionString: database, max: 2, allowExitOnIdle: true });
    // an idle connection the server closed (a restart, a failover, an administrator) is dropped by the
    // pool and the next query opens another; unheard, the error would end the whole process
    pool.on("error", () => undefined);
    return async () => {
      try {
        const { rows } = await pool.query<{ s: string }>("SELECT pg_current_snapshot()::text AS s");
        return rows[0].s;
      } catch {
        return null; // the read itself says why
      }
    };
  }
  let read: (() => number) | null = null;
  return () => {
    if (!read) {
      try {
        const stmt = new Database(database, { readonly: true, fileMustExist: true }).prepare("PRAGMA data_version").pluck();
        read = () => stmt.get() as number;
      } catch {
        return null; // not created yet: the next call tries again
      }
    }
    return read();
  };
}
