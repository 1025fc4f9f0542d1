// npm run db:copy: a whole hub from one database to another, SQLite ⇄ PostgreSQL (docs/backup.md).
// The target is migrated by this checkout to the source's migration level; every table of the
// Prisma schema is copied with its ids, in dependency order, inside one transaction on the target,
// from one snapshot of the source; counters (SearchChange.seq, SearchOutbox.id) are carried over;
// then each table's row count and checksum are compared between the two.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Prisma } from "~/generated/prisma/client";
import { migrateDatabase } from "../migrate";
import { describeLocation, isPostgresLocation, openDatabase, sameLocation, sqliteFile, type DatabaseKind, type HubDatabase, type Table } from "./databases";
import { rowLine } from "./values";

/** A copy refused before anything was written to the target, with the reason for the operator. */
export class CopyRefused extends Error {}

export interface TableCheck {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  ok: boolean;
}

export interface CopyReport {
  from: string;
  to: string;
  tables: TableCheck[];
  /** every table's count and checksum agree */
  ok: boolean;
}

/** The tables of the Prisma schema, the hub's own: `_prisma_migrations` and derived tables are not copied. */
export const appTables = (): string[] => Object.values(Prisma.ModelName);

/** This checkout's migrations for a kind of database (prisma/migrations, prisma/postgresql/migrations). */
export function migrationHistory(kind: DatabaseKind): string[] {
  return readdirSync(migrationsDir(kind), { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d+_/.test(d.name))
    .map((d) => d.name)
    .sort();
}

const migrationsDir = (kind: DatabaseKind) => path.resolve(kind === "postgresql" ? "prisma/postgresql/migrations" : "prisma/migrations");

/**
 * Tables the migrations themselves fill (the honours list): a freshly migrated target already
 * holds their rows, which the copy replaces with the source's.
 */
export function migrationFilledTables(kind: DatabaseKind): Set<string> {
  const out = new Set<string>();
  for (const name of migrationHistory(kind)) {
    const sql = readFileSync(path.join(migrationsDir(kind), name, "migration.sql"), "utf8");
    for (const m of sql.matchAll(/INSERT INTO "(\w+)"/g)) if (!m[1].startsWith("new_")) out.add(m[1]);
  }
  return out;
}

/** Refuses a source whose applied migrations are not exactly this checkout's. */
async function checkMigrationLevel(source: HubDatabase): Promise<void> {
  const applied = await source.appliedMigrations();
  if (!applied) throw new CopyRefused(`${source.label} is not a hub database: it has no _prisma_migrations table`);
  const history = migrationHistory(source.kind);
  const newer = applied.filter((m) => !history.includes(m));
  const missing = history.filter((m) => !applied.includes(m));
  if (newer.length)
    throw new CopyRefused(
      `the source's migration level differs from this checkout's: it has migrations this checkout does not (${newer.join(", ")}). Copy it with the version of the hub that migrated it.`,
    );
  if (missing.length)
    throw new CopyRefused(
      `the source's migration level differs from this checkout's: it lacks ${missing.join(", ")}. Migrate it first (DATABASE_URL=<from> npm run db:migrate), or copy it with the version of the hub it was last run with.`,
    );
}

/** The app tables of the target that hold rows, other than the ones the migrations fill. */
async function rowsInTarget(target: HubDatabase, tables: Iterable<string>, filled: Set<string>): Promise<string[]> {
  const found: string[] = [];
  for (const t of tables) {
    if (filled.has(t)) continue;
    const n = await target.count(t);
    if (n > 0) found.push(`${t} (${n})`);
  }
  return found;
}

const refuseNonEmpty = (label: string, found: string[]) =>
  new CopyRefused(`the target ${label} is not empty: ${found.join(", ")}. db:copy copies only into an empty database (create a new one, or drop this one first).`);

/** Tables ordered so that each comes after every table it references. */
export function dependencyOrder(tables: Table[]): Table[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: Table[] = [];
  const visit = (t: Table, trail: string[]) => {
    if (done.has(t.name)) return;
    if (visiting.has(t.name)) throw new Error(`foreign keys form a cycle (${[...trail, t.name].join(" → ")}): db:copy cannot order these tables`);
    visiting.add(t.name);
    for (const r of t.references) {
      const ref = byName.get(r);
      if (ref && ref !== t) visit(ref, [...trail, t.name]);
    }
    visiting.delete(t.name);
    done.add(t.name);
    out.push(t);
  };
  for (const t of [...tables].sort((a, b) => (a.name < b.name ? -1 : 1))) visit(t, []);
  return out;
}

/** Both databases have every app table, with the same columns of the same kinds. */
function matchTables(source: Map<string, Table>, target: Map<string, Table>, names: string[]): Table[] {
  const problems: string[] = [];
  const tables: Table[] = [];
  for (const name of names) {
    const s = source.get(name);
    const t = target.get(name);
    if (!s || !t) {
      problems.push(`${name}: missing in the ${s ? "target" : "source"}`);
      continue;
    }
    const describe = (x: Table) => x.columns.map((c) => `${c.name}:${c.kind}`).join(",");
    if (describe(s) !== describe(t)) {
      problems.push(`${name}: columns differ (source ${describe(s)}; target ${describe(t)})`);
      continue;
    }
    // the target's keys and counters: rows are written and counters set there
    tables.push({ ...t, primaryKey: t.primaryKey.length ? t.primaryKey : s.primaryKey });
  }
  if (problems.length) throw new CopyRefused(`the two databases' schemas differ:\n  ${problems.join("\n  ")}`);
  return tables;
}

interface Tally {
  rows: number;
  checksum: string;
}

/** Row count and sha256 of the canonical rows in primary-key order, for each table, from one snapshot. */
export async function tableChecksums(db: HubDatabase, tables: Table[]): Promise<Map<string, Tally>> {
  const out = new Map<string, Tally>();
  await db.beginRead();
  try {
    for (const t of tables) {
      const hash = createHash("sha256");
      let rows = 0;
      for await (const batch of db.rows(t)) {
        for (const row of batch) hash.update(rowLine(row));
        rows += batch.length;
      }
      out.set(t.name, { rows, checksum: hash.digest("hex") });
    }
  } finally {
    await db.endRead();
  }
  return out;
}

/** The app tables of an opened database, in dependency order (for tableChecksums). */
export async function hubTables(db: HubDatabase): Promise<Table[]> {
  const all = await db.tables(appTables());
  const missing = appTables().filter((t) => !all.has(t));
  if (missing.length) throw new CopyRefused(`${db.label} lacks tables of the hub: ${missing.join(", ")}`);
  return dependencyOrder(appTables().map((t) => all.get(t)!));
}

/** Counts and checksums of two databases side by side (used after a copy, and on its own in tests). */
export async function compareDatabases(from: string, to: string): Promise<CopyReport> {
  const [a, b] = [await openDatabase(from), await openDatabase(to)];
  try {
    const [ta, tb] = [await hubTables(a), await hubTables(b)];
    matchTables(new Map(ta.map((t) => [t.name, t])), new Map(tb.map((t) => [t.name, t])), appTables());
    return report(from, to, await tableChecksums(a, ta), await tableChecksums(b, tb));
  } finally {
    await a.close();
    await b.close();
  }
}

function report(from: string, to: string, source: Map<string, Tally>, target: Map<string, Tally>): CopyReport {
  const tables = [...source.keys()].map((table) => {
    const s = source.get(table)!;
    const t = target.get(table) ?? { rows: -1, checksum: "" };
    return { table, sourceRows: s.rows, targetRows: t.rows, sourceChecksum: s.checksum, targetChecksum: t.checksum, ok: s.rows === t.rows && s.checksum === t.checksum };
  });
  return { from: describeLocation(from), to: describeLocation(to), tables, ok: tables.every((t) => t.ok) };
}

export interface CopyOptions {
  /** progress lines ("migrating the target", "copying Studio …") */
  log?: (line: string) => void;
}

/**
 * Copies the hub at `from` into the empty database at `to` (a SQLite file, created when missing, or
 * a postgresql:// URL of an existing database) and verifies it. Throws CopyRefused, with nothing
 * written, when the source's migration level differs from this checkout's or the target holds rows;
 * a report with `ok: false` when a table's count or checksum differs after the copy.
 */
export async function copyDatabase(from: string, to: string, options: CopyOptions = {}): Promise<CopyReport> {
  const log = options.log ?? (() => {});
  if (sameLocation(from, to)) throw new CopyRefused("the source and the target are the same database");
  const source = await openDatabase(from).catch((e: Error) => {
    throw new CopyRefused(`cannot open the source: ${e.message}`);
  });
  let target: HubDatabase | null = null;
  try {
    await checkMigrationLevel(source);
    const targetKind: DatabaseKind = isPostgresLocation(to) ? "postgresql" : "sqlite";
    const filled = migrationFilledTables(targetKind);
    const names = appTables();

    // a target that is already a hub (of any level) is looked at before it is migrated
    const history = migrationHistory(targetKind);
    const existing = await openDatabase(to).catch(() => null);
    let upToDate = false;
    if (existing) {
      try {
        const present = await existing.tables(names);
        const found = await rowsInTarget(
          existing,
          names.filter((n) => present.has(n)),
          filled,
        );
        if (found.length) throw refuseNonEmpty(existing.label, found);
        upToDate = (await existing.appliedMigrations())?.join() === history.join();
      } finally {
        await existing.close();
      }
    }
    if (!upToDate) {
      log(`migrating the target ${describeLocation(to)}`);
      try {
        migrateDatabase(isPostgresLocation(to) ? to : sqliteFile(to));
      } catch (e) {
        throw new CopyRefused(`migrating the target failed: ${(e as Error).message}`);
      }
    }
    target = await openDatabase(to);
    const targetMigrations = await target.appliedMigrations();
    if (!targetMigrations || targetMigrations.join() !== history.join())
      throw new CopyRefused(`the target's migrations differ from this checkout's after migrating it: ${(targetMigrations ?? []).join(", ")}`);

    const tables = dependencyOrder(matchTables(await source.tables(names), await target.tables(names), names));
    const copied = new Map<string, Tally>();
    await target.beginWrite();
    try {
      // checked again inside the transaction: nothing can slip in between
      const found = await rowsInTarget(
        target,
        tables.map((t) => t.name),
        filled,
      );
      if (found.length) throw refuseNonEmpty(target.label, found);
      for (const t of [...tables].reverse()) if (filled.has(t.name)) await target.deleteAll(t.name);
      await source.beginRead();
      for (const t of tables) {
        const hash = createHash("sha256");
        let rows = 0;
        const counters = t.columns.filter((c) => c.autoincrement);
        const highest = new Map(counters.map((c) => [c.name, 0]));
        for await (const batch of source.rows(t)) {
          for (const row of batch) hash.update(rowLine(row));
          for (const c of counters) {
            const i = t.columns.indexOf(c);
            for (const row of batch) highest.set(c.name, Math.max(highest.get(c.name)!, Number(row[i] ?? 0)));
          }
          await target.insert(t, batch);
          rows += batch.length;
        }
        // a counter continues after the source's, which may be past the highest id left (deleted rows)
        for (const c of counters) await target.setCounter(t.name, c.name, Math.max(highest.get(c.name)!, await source.counter(t.name, c.name)));
        copied.set(t.name, { rows, checksum: hash.digest("hex") });
        log(`copied ${t.name}: ${rows} rows`);
      }
      await source.endRead();
      await target.commit();
    } catch (e) {
      await target.rollback().catch(() => {});
      throw e;
    }
    log("verifying: counting and hashing the target's rows");
    return report(from, to, copied, await tableChecksums(target, tables));
  } finally {
    await source.close();
    await target?.close();
  }
}

/** The report as a table for the terminal. */
export function formatReport(r: CopyReport): string {
  const short = (h: string) => h.slice(0, 16);
  const w = Math.max(5, ...r.tables.map((t) => t.table.length));
  const lines = [
    `${"table".padEnd(w)}  ${"source rows".padStart(11)}  ${"target rows".padStart(11)}  ${"source sha256".padEnd(16)}  ${"target sha256".padEnd(16)}`,
    ...r.tables.map(
      (t) =>
        `${t.table.padEnd(w)}  ${String(t.sourceRows).padStart(11)}  ${String(t.targetRows).padStart(11)}  ${short(t.sourceChecksum).padEnd(16)}  ${short(t.targetChecksum).padEnd(16)}  ${t.ok ? "ok" : "MISMATCH"}`,
    ),
  ];
  const total = r.tables.reduce((n, t) => n + t.sourceRows, 0);
  const bad = r.tables.filter((t) => !t.ok);
  lines.push(
    bad.length
      ? `${bad.length} of ${r.tables.length} tables differ between ${r.from} and ${r.to}: ${bad.map((t) => t.table).join(", ")}`
      : `${r.tables.length} tables, ${total} rows: every count and checksum of ${r.to} matches ${r.from}`,
  );
  return lines.join("\n");
}
