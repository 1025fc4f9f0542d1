// npm run db:backup: a consistent copy of the live database, taken without stopping the site
// (docs/backup.md). SQLite: the online backup API (better-sqlite3's db.backup()), all pages in one
// step, so one read snapshot is copied while other processes keep writing. PostgreSQL: pg_dump
// --format=custom, which reads the whole database in one snapshot.
import Database from "better-sqlite3";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { isPostgresLocation, libpqLocation, sqliteFile } from "./databases";

export interface Backup {
  file: string;
  bytes: number;
}

/** `hub-sqlite-20261207-231500.db` / `hub-postgresql-….dump` */
export function backupName(postgres: boolean, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return postgres ? `hub-postgresql-${stamp}.dump` : `hub-sqlite-${stamp}.db`;
}

/**
 * Backs up the database at `location` to `out` (a file, or a folder for the default name; default
 * `backups/`). Written under a temporary name and renamed when complete, so a file with the final
 * name is always a whole backup.
 */
export async function backupDatabase(location: string, out?: string, now = new Date()): Promise<Backup> {
  const postgres = isPostgresLocation(location);
  const target = path.resolve(!out ? path.join("backups", backupName(postgres, now)) : isFolder(out) ? path.join(out, backupName(postgres, now)) : out);
  mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  try {
    if (postgres) await dumpPostgres(location, partial);
    else await backupSqlite(sqliteFile(location), partial);
    renameSync(partial, target);
  } finally {
    rmSync(partial, { force: true });
  }
  return { file: target, bytes: statSync(target).size };
}

const isFolder = (p: string) => p.endsWith("/") || (existsSync(p) && statSync(p).isDirectory());

async function backupSqlite(file: string, to: string): Promise<void> {
  if (!existsSync(file)) throw new Error(`no SQLite database at ${file}`);
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 15000");
    // every page in one step: in steps, a write by another process in between restarts the backup
    await db.backup(to, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  // the copy is one file: a WAL database's copy keeps WAL mode, its pages are all in the main file
  const copy = new Database(to);
  copy.pragma("journal_mode = DELETE");
  copy.close();
}

/** pg_dump on PATH, or the newest of Debian's /usr/lib/postgresql/<version>/bin (PG_DUMP overrides). */
export function postgresTool(name: "pg_dump" | "pg_restore"): string {
  const override = process.env[name.toUpperCase()];
  if (override) return override;
  const onPath = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
  if (onPath) return onPath;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, "bin", name)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length) throw new Error(`${name} not found: install PostgreSQL's client tools (Debian: apt-get install postgresql-client) or set ${name.toUpperCase()}`);
  return path.join(root, versions[0], "bin", name);
}

async function dumpPostgres(url: string, to: string): Promise<void> {
  const { url: plain, schema } = libpqLocation(url);
  const args = ["--format=custom", `--file=${to}`, ...(schema ? [`--schema=${schema}`] : []), `--dbname=${plain}`];
  const child = spawn(postgresTool("pg_dump"), args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  if (code !== 0) throw new Error(`pg_dump failed: ${stderr.trim() || `exit code ${code}`}`);
}
