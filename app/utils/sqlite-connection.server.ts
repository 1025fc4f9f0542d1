import type Database from "better-sqlite3";

// Settings every connection to the database file gets (docs/decisions/0011). Several server
// processes (WEB_CONCURRENCY) write to one file, and it is the system of record:
//
// - WAL: readers and the one writer do not wait for each other.
// - busy_timeout: a write waits for another process's write to finish instead of failing at once
//   with "database is locked". better-sqlite3 waits synchronously, so the wait is bounded; a
//   transaction that still finds the lock taken is retried whole (db.server.ts).
// - synchronous=FULL: with WAL, NORMAL may lose the last acknowledged commits on an OS crash or
//   power loss; FULL syncs the WAL on every commit.
// - BEGIN IMMEDIATE for the Prisma adapter's transactions: a deferred BEGIN reads first and
//   upgrades to a writer later, and an upgrade that meets another process's commit fails at once
//   (SQLITE_BUSY, no waiting) — the 500s of two simultaneous saves. IMMEDIATE takes the write lock
//   up front, waiting its turn.

export const BUSY_TIMEOUT_MS = 5_000;

/** Applies the settings above to a connection (idempotent). */
export function configureConnection(sqlite: Database.Database, o: { immediateTransactions?: boolean } = {}): Database.Database {
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // WAL, as `npm start` leaves every database (scripts/migrate.ts), also for a file migrated some
  // other way (prisma migrate deploy): in rollback-journal mode a reader holds up every writer
  if (!sqlite.memory && String(sqlite.pragma("journal_mode", { simple: true })).toLowerCase() !== "wal") {
    try {
      sqlite.pragma("journal_mode = WAL");
    } catch {
      // another connection has the file open in a transaction: the next connection tries again
    }
  }
  sqlite.pragma("synchronous = FULL");
  if (o.immediateTransactions && !(sqlite as { __immediate?: boolean }).__immediate) {
    // @prisma/adapter-better-sqlite3 6.x starts every transaction with exactly prepare("BEGIN")
    // and has no option for the mode
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((source: string) => prepare(source === "BEGIN" ? "BEGIN IMMEDIATE" : source)) as typeof sqlite.prepare;
    (sqlite as { __immediate?: boolean }).__immediate = true;
  }
  return sqlite;
}

/** SQLITE_BUSY as the Prisma client reports it (the adapter maps it to P1008, "timed out"). */
export function isBusyError(e: unknown): boolean {
  if (!e || typeof e !== "object") return false;
  const err = e as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } }; message?: unknown };
  const original = err.meta?.driverAdapterError?.cause?.originalCode;
  if (typeof original === "string") return original.startsWith("SQLITE_BUSY");
  return err.code === "P1008" || err.code === "SQLITE_BUSY" || (typeof err.message === "string" && /database is locked/.test(err.message));
}
