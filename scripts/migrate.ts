import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { getEnv, isPostgresUrl } from "~/utils/env.server";
import { NEWER_DATABASE_EXIT, NewerDatabaseError, refuseNewerDatabase } from "~/utils/migration-guard.mjs";

/**
 * Applies pending migrations to the database at DATABASE_URL, creating the file if needed. A
 * database migrated by a newer version (its _prisma_migrations lists a migration this checkout
 * lacks) is left as it is: the command says which migrations and to upgrade, and exits with 78.
 */
export async function migrate(): Promise<void> {
  const { databaseFile, postgres } = getEnv();
  try {
    await refuseNewerDatabase(postgres ? databaseFile : `file:${databaseFile}`);
  } catch (e) {
    if (!(e instanceof NewerDatabaseError)) throw e;
    console.error(e.message);
    process.exit(NEWER_DATABASE_EXIT);
  }
  migrateDatabase(databaseFile);
}

/** The same for a given SQLite file or postgresql:// URL (npm run db:copy migrates its target so). */
export function migrateDatabase(databaseFile: string): void {
  if (isPostgresUrl(databaseFile)) return migratePostgres(databaseFile);
  mkdirSync(path.dirname(databaseFile), { recursive: true });
  const r = spawnSync("node", ["scripts/prisma.mjs", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${databaseFile}` },
    encoding: "utf8",
  });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error(`migrating ${databaseFile} failed`);
  }
  // WAL lets the search engine's reader and the site's writer work at the same time
  const sqlite = new Database(databaseFile);
  sqlite.pragma("journal_mode = WAL");
  sqlite.close();
}

/** PostgreSQL: prisma/postgresql/migrations (docs/decisions/0027-postgresql.md). */
function migratePostgres(url: string): void {
  const r = spawnSync("node", ["scripts/prisma.mjs", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error(`migrating the PostgreSQL database failed`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await migrate();
  console.log(`database ${getEnv().postgres ? "(PostgreSQL)" : getEnv().databaseFile} is up to date`);
}
