// A database migrated by a newer version of the hub is refused before anything runs against it:
// its `_prisma_migrations` table lists a migration this checkout does not have, so this version's
// code would read and write a schema it does not know, and `prisma migrate deploy` would go on
// as if nothing were wrong. Both ways of starting ask here first: scripts/migrate.ts (npm start,
// the import and admin commands, the systemd migration unit) before it migrates, and server.mjs
// before it serves. Nothing here writes: it reads the table and the migration folders, and never
// runs or rolls back a migration. Plain JavaScript: server.mjs imports it unbuilt.
import Database from "better-sqlite3";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";

const DEFAULT_URL = "file:./data/hub.db";

/**
 * The exit code of a refusal (EX_CONFIG): the systemd units do not restart a server that ends with
 * it (RestartPreventExitStatus), since starting again cannot help until the app is upgraded.
 */
export const NEWER_DATABASE_EXIT = 78;

/** @param {string} url */
const isPostgres = (url) => /^postgres(ql)?:\/\//.test(url);

/**
 * The migration folders this checkout has for the database at `url`: prisma/migrations for
 * SQLite, prisma/postgresql/migrations for PostgreSQL (docs/decisions/0027-postgresql.md).
 * @param {string} url
 * @param {string} [root] the checkout (default: the working directory)
 * @returns {string[]}
 */
export function knownMigrations(url, root = process.cwd()) {
  const dir = isPostgres(url) ? path.join(root, "prisma", "postgresql", "migrations") : path.join(root, "prisma", "migrations");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
}

/**
 * The migrations recorded in the database's `_prisma_migrations` (applied, failed or still
 * running; not those marked rolled back), in order; none for a database that does not exist yet.
 * @param {string} url
 * @returns {Promise<string[]>}
 */
export async function recordedMigrations(url) {
  if (isPostgres(url)) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const table = await client.query("SELECT to_regclass('_prisma_migrations') AS t");
      if (!table.rows[0]?.t) return [];
      const r = await client.query("SELECT migration_name FROM _prisma_migrations WHERE rolled_back_at IS NULL ORDER BY migration_name");
      return r.rows.map((row) => String(row.migration_name));
    } finally {
      await client.end();
    }
  }
  const file = path.resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
  if (!existsSync(file)) return [];
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    sqlite.pragma("busy_timeout = 5000");
    const table = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (!table) return [];
    const rows = /** @type {{ migration_name: string }[]} */ (
      sqlite.prepare("SELECT migration_name FROM _prisma_migrations WHERE rolled_back_at IS NULL ORDER BY migration_name").all()
    );
    return rows.map((row) => row.migration_name);
  } finally {
    sqlite.close();
  }
}

/**
 * Migrations the database lists that this checkout does not have: the mark of a newer version.
 * @param {string} [url] DATABASE_URL (default: the environment's, else file:./data/hub.db)
 * @param {string} [root]
 * @returns {Promise<string[]>}
 */
export async function unknownMigrations(url = process.env.DATABASE_URL || DEFAULT_URL, root = process.cwd()) {
  const known = new Set(knownMigrations(url, root));
  return (await recordedMigrations(url)).filter((name) => !known.has(name));
}

/**
 * Where the database is, for a message: the file, or the PostgreSQL server and database without
 * the password.
 * @param {string} url
 */
export function describeDatabase(url) {
  if (!isPostgres(url)) return path.resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
  try {
    const u = new URL(url);
    return `PostgreSQL database "${decodeURIComponent(u.pathname.slice(1)) || "postgres"}" on ${u.host}`;
  } catch {
    return "the PostgreSQL database";
  }
}

/**
 * The refusal, naming every unknown migration and what to do.
 * @param {string} url
 * @param {string[]} unknown
 */
export function newerDatabaseMessage(url, unknown) {
  return [
    `The database (${describeDatabase(url)}) was migrated by a newer version of Studio Alliance Hub:`,
    `it lists ${unknown.length === 1 ? "a migration" : `${unknown.length} migrations`} this version does not have:`,
    ...unknown.map((name) => `  ${name}`),
    "Upgrade the app to the version that made them (or a later one) and start that instead.",
    "Nothing was started, migrated or rolled back.",
  ].join("\n");
}

export class NewerDatabaseError extends Error {
  /** @param {string} url @param {string[]} unknown */
  constructor(url, unknown) {
    super(newerDatabaseMessage(url, unknown));
    this.name = "NewerDatabaseError";
    this.unknown = unknown;
  }
}

/**
 * Throws NewerDatabaseError when the database lists a migration this checkout does not have.
 * @param {string} [url]
 * @param {string} [root]
 */
export async function refuseNewerDatabase(url = process.env.DATABASE_URL || DEFAULT_URL, root = process.cwd()) {
  const unknown = await unknownMigrations(url, root);
  if (unknown.length > 0) throw new NewerDatabaseError(url, unknown);
}
