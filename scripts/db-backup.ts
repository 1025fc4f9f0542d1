// npm run db:backup -- [--out <path>]: an online backup of the database at DATABASE_URL (docs/backup.md)
import { existsSync } from "node:fs";
import path from "node:path";
import { databaseFileFromUrl, isPostgresUrl } from "~/utils/env.server";
import { backupDatabase } from "./db-move/backup";
import { describeLocation } from "./db-move/databases";

const HELP = `usage: npm run db:backup -- [--out <file or folder>]

Takes a consistent backup of the database at DATABASE_URL while the site keeps running:
  SQLite      the online backup API: a copy of one moment's database, in one file (.db)
  PostgreSQL  pg_dump --format=custom, one snapshot (.dump)
Default output: backups/hub-<sqlite|postgresql>-<UTC time>.<db|dump>. Uploads are files, not rows:
back up the uploads folder (data/uploads, or DATA_DIR/uploads) beside it.

Restore (docs/backup.md):
  SQLite      stop the site; remove data/hub.db-wal and data/hub.db-shm if present;
              cp backups/hub-sqlite-….db data/hub.db; start the site.
  PostgreSQL  createdb hub_restored   (or CREATE DATABASE hub_restored in psql)
              pg_restore --no-owner --dbname=postgresql://user@host:5432/hub_restored backups/hub-postgresql-….dump
              then point DATABASE_URL at hub_restored and start the site
              (into the existing database instead: pg_restore --clean --if-exists --no-owner --dbname=… file).
  Either way the site's start migrates a restored database that is older than the code.`;

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(HELP);
  process.exit(0);
}
let out: string | undefined;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--out" && args[i + 1]) out = args[++i];
  else if (args[i].startsWith("--out=")) out = args[i].slice(6);
  else {
    console.error(HELP);
    process.exit(2);
  }
}
// (not getEnv(): it would generate a session secret, which a backup has no use for)
const url = process.env.DATABASE_URL || "file:./data/hub.db";
const databaseFile = isPostgresUrl(url) ? url : databaseFileFromUrl(url);
try {
  const started = Date.now();
  const b = await backupDatabase(databaseFile, out);
  const size = b.bytes >= 1 << 20 ? `${(b.bytes / (1 << 20)).toFixed(1)} MB` : `${(b.bytes / 1024).toFixed(1)} KB`;
  // uploads live in the data folder (app/utils/uploads.server.ts), found as env.server.ts finds it
  const uploads = path.join(path.resolve(process.env.DATA_DIR || (isPostgresUrl(url) ? "data" : path.dirname(databaseFile))), "uploads");
  console.log(`backed up ${describeLocation(databaseFile)} to ${shown(b.file)} (${size}, ${b.bytes} bytes) in ${Date.now() - started} ms`);
  if (existsSync(uploads)) console.log(`uploads are files, not rows: back up ${uploads} as well`);
} catch (e) {
  console.error(`db:backup failed: ${(e as Error).message}`);
  process.exit(1);
}

function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel;
}
