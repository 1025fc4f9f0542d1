// A hub database of either kind as npm run db:copy sees it: its tables as they are in the database
// (columns, kinds, primary key, what each references), rows read in primary-key order inside one
// snapshot, and rows written inside one transaction. better-sqlite3 and node-postgres directly:
// Prisma's client would hand back Dates, numbers and booleans already converted, and its types are
// per model, not per table.
import Database from "better-sqlite3";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { fromPostgres, fromSqlite, postgresKind, sqliteKind, toPostgres, toSqlite, type Kind, type Value } from "./values";

export interface Column {
  name: string;
  kind: Kind;
  /** SQLite AUTOINCREMENT / a PostgreSQL serial or identity column: its counter is carried over */
  autoincrement: boolean;
}

export interface Table {
  name: string;
  /** sorted by name: SQLite and PostgreSQL may hold them in different orders */
  columns: Column[];
  primaryKey: string[];
  /** the tables its foreign keys point at */
  references: string[];
}

export type DatabaseKind = "sqlite" | "postgresql";

/** Rows are read and written in batches of this many (PostgreSQL's parameters stay under 65,535). */
const BATCH = 500;

export interface HubDatabase {
  readonly kind: DatabaseKind;
  /** the file, or the URL without its password: for messages */
  readonly label: string;
  /** those of the named tables that exist */
  tables(names: readonly string[]): Promise<Map<string, Table>>;
  /** names of the migrations applied and finished (Prisma's `_prisma_migrations`), null when it has none */
  appliedMigrations(): Promise<string[] | null>;
  count(table: string): Promise<number>;
  /** the following reads see one snapshot of the database, however long they take */
  beginRead(): Promise<void>;
  endRead(): Promise<void>;
  /** the table's rows in primary-key order, as canonical values in `table.columns` order */
  rows(table: Table): AsyncGenerator<Value[][]>;
  /** the last value the column's counter handed out (0 when none): higher than every id in use */
  counter(table: string, column: string): Promise<number>;
  beginWrite(): Promise<void>;
  insert(table: Table, rows: Value[][]): Promise<void>;
  deleteAll(table: string): Promise<void>;
  /** the next value the counter hands out is `last + 1` */
  setCounter(table: string, column: string, last: number): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

export const isPostgresLocation = (location: string) => /^postgres(ql)?:\/\//.test(location);

/** A SQLite file from `file:./x.db` or a plain path, resolved against the working directory. */
export function sqliteFile(location: string): string {
  return path.resolve(location.replace(/^file:/, ""));
}

/** The URL with its password hidden, for messages. */
export function describeLocation(location: string): string {
  if (!isPostgresLocation(location)) return sqliteFile(location);
  const u = new URL(location);
  if (u.password) u.password = "***";
  return u.toString();
}

/** Whether the two locations are the same database (a copy onto itself is refused). */
export function sameLocation(a: string, b: string): boolean {
  if (isPostgresLocation(a) !== isPostgresLocation(b)) return false;
  if (!isPostgresLocation(a)) return sqliteFile(a) === sqliteFile(b);
  const [x, y] = [new URL(a), new URL(b)];
  return x.hostname === y.hostname && (x.port || "5432") === (y.port || "5432") && x.pathname === y.pathname;
}

/** Opens an existing database (a SQLite file must exist: nothing is created here). */
export async function openDatabase(location: string): Promise<HubDatabase> {
  if (isPostgresLocation(location)) {
    const db = new PostgresDatabase(location);
    await db.connect();
    return db;
  }
  const file = sqliteFile(location);
  if (!existsSync(file) || !statSync(file).isFile()) throw new Error(`no SQLite database at ${file}`);
  return new SqliteDatabase(file);
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

class SqliteDatabase implements HubDatabase {
  readonly kind = "sqlite" as const;
  readonly label: string;
  private readonly db: Database.Database;
  private readonly inserts = new Map<string, Database.Statement>();

  constructor(file: string) {
    this.label = file;
    this.db = new Database(file, { fileMustExist: true });
    this.db.pragma("busy_timeout = 15000");
  }

  async tables(names: readonly string[]) {
    const out = new Map<string, Table>();
    const rows = this.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as { name: string; sql: string }[];
    for (const { name, sql } of rows) {
      if (!names.includes(name)) continue;
      const info = this.db.prepare(`PRAGMA table_info(${quote(name)})`).all() as { name: string; type: string; pk: number }[];
      const primaryKey = info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      const columns = info.map((c) => {
        const kind = sqliteKind(c.type);
        if (!kind) throw new Error(`${name}.${c.name}: a column of type ${c.type}, which db:copy does not know`);
        const autoincrement = /AUTOINCREMENT/i.test(sql) && primaryKey.length === 1 && primaryKey[0] === c.name;
        return { name: c.name, kind, autoincrement };
      });
      const references = (this.db.prepare(`PRAGMA foreign_key_list(${quote(name)})`).all() as { table: string }[]).map((f) => f.table);
      out.set(name, { name, columns: columns.sort((a, b) => (a.name < b.name ? -1 : 1)), primaryKey, references: [...new Set(references)] });
    }
    return out;
  }

  async appliedMigrations() {
    const exists = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (!exists) return null;
    const rows = this.db.prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name").all() as {
      migration_name: string;
    }[];
    return rows.map((r) => r.migration_name);
  }

  async count(table: string) {
    return Number((this.db.prepare(`SELECT count(*) AS n FROM ${quote(table)}`).get() as { n: number }).n);
  }

  async beginRead() {
    this.db.exec("BEGIN");
    // the snapshot starts at the first read
    this.db.prepare("SELECT count(*) FROM sqlite_master").get();
  }

  async endRead() {
    if (this.db.inTransaction) this.db.exec("COMMIT");
  }

  async *rows(table: Table) {
    const order = (table.primaryKey.length ? table.primaryKey : table.columns.map((c) => c.name)).map(quote).join(", ");
    const stmt = this.db
      .prepare(`SELECT ${table.columns.map((c) => quote(c.name)).join(", ")} FROM ${quote(table.name)} ORDER BY ${order}`)
      .raw(true)
      .safeIntegers(true);
    let batch: Value[][] = [];
    for (const raw of stmt.iterate() as Iterable<unknown[]>) {
      batch.push(table.columns.map((c, i) => fromSqlite(c.kind, raw[i])));
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }

  async counter(table: string) {
    const hasSequence = this.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").get();
    if (!hasSequence) return 0;
    const row = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?").get(table) as { seq: number } | undefined;
    return Number(row?.seq ?? 0);
  }

  async beginWrite() {
    this.db.pragma("foreign_keys = ON");
    this.db.exec("BEGIN IMMEDIATE");
    // checked at COMMIT, not row by row (reset by every COMMIT and ROLLBACK)
    this.db.pragma("defer_foreign_keys = ON");
  }

  async insert(table: Table, rows: Value[][]) {
    let stmt = this.inserts.get(table.name);
    if (!stmt) {
      const cols = table.columns.map((c) => quote(c.name)).join(", ");
      stmt = this.db.prepare(`INSERT INTO ${quote(table.name)} (${cols}) VALUES (${table.columns.map(() => "?").join(", ")})`);
      this.inserts.set(table.name, stmt);
    }
    for (const row of rows) stmt.run(...table.columns.map((c, i) => toSqlite(c.kind, row[i])));
  }

  async deleteAll(table: string) {
    this.db.prepare(`DELETE FROM ${quote(table)}`).run();
  }

  async setCounter(table: string, _column: string, last: number) {
    // an AUTOINCREMENT table has a row in sqlite_sequence (created with the first such table)
    this.db.prepare("DELETE FROM sqlite_sequence WHERE name = ?").run(table);
    if (last > 0) this.db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)").run(table, BigInt(last));
  }

  async commit() {
    this.db.exec("COMMIT");
  }

  async rollback() {
    if (this.db.inTransaction) this.db.exec("ROLLBACK");
  }

  async close() {
    this.db.close();
  }
}

// node-postgres hands these back as their text, which values.ts reads (timestamps without a time
// zone would otherwise be taken as local time; numeric and json would lose their exact text)
const AS_TEXT = new Set([1114, 1184, 1082, 20, 1700, 114, 3802]);
const postgresTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    AS_TEXT.has(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

/** Parameters libpq knows: Prisma's own (`schema`, `connection_limit` …) are taken out for pg and pg_dump. */
const LIBPQ_PARAMS = new Set([
  "sslmode",
  "sslcert",
  "sslkey",
  "sslrootcert",
  "sslpassword",
  "application_name",
  "connect_timeout",
  "options",
  "target_session_attrs",
  "channel_binding",
  "gssencmode",
  "host",
  "port",
  "user",
  "password",
  "dbname",
]);

/** The URL as libpq (pg, pg_dump) takes it, and the schema Prisma's `?schema=` names, if any. */
export function libpqLocation(url: string): { url: string; schema: string | null } {
  const u = new URL(url);
  const schema = u.searchParams.get("schema");
  for (const key of [...u.searchParams.keys()]) if (!LIBPQ_PARAMS.has(key)) u.searchParams.delete(key);
  return { url: u.toString(), schema };
}

class PostgresDatabase implements HubDatabase {
  readonly kind = "postgresql" as const;
  readonly label: string;
  private readonly client: pg.Client;
  private readonly schema: string | null;
  private cursors = 0;

  constructor(url: string) {
    this.label = describeLocation(url);
    const { url: plain, schema } = libpqLocation(url);
    this.schema = schema;
    this.client = new pg.Client({ connectionString: plain, types: postgresTypes });
  }

  async connect() {
    await this.client.connect();
    if (this.schema) await this.client.query(`SET search_path TO ${quote(this.schema)}`);
  }

  async tables(names: readonly string[]) {
    const cols = await this.client.query<{ table_name: string; column_name: string; udt_name: string; column_default: string | null; is_identity: string }>(
      `SELECT c.table_name, c.column_name, c.udt_name, c.column_default, c.is_identity
         FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`,
    );
    const keys = await this.client.query<{ table_name: string; column_name: string; position: number }>(
      `SELECT c.relname AS table_name, a.attname AS column_name, array_position(i.indkey::int2[], a.attnum) AS position
         FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey::int2[])
        WHERE i.indisprimary AND c.relnamespace = current_schema()::regnamespace`,
    );
    const fks = await this.client.query<{ table_name: string; referenced: string }>(
      `SELECT c.relname AS table_name, r.relname AS referenced
         FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
        WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace`,
    );
    const out = new Map<string, Table>();
    for (const c of cols.rows) {
      if (!names.includes(c.table_name)) continue;
      const kind = postgresKind(c.udt_name);
      if (!kind) throw new Error(`${c.table_name}.${c.column_name}: a column of type ${c.udt_name}, which db:copy does not know`);
      let t = out.get(c.table_name);
      if (!t) out.set(c.table_name, (t = { name: c.table_name, columns: [], primaryKey: [], references: [] }));
      t.columns.push({ name: c.column_name, kind, autoincrement: c.is_identity === "YES" || /^nextval\(/.test(c.column_default ?? "") });
    }
    for (const t of out.values()) t.columns.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const k of keys.rows.sort((a, b) => a.position - b.position)) out.get(k.table_name)?.primaryKey.push(k.column_name);
    for (const f of fks.rows) {
      const t = out.get(f.table_name);
      if (t && !t.references.includes(f.referenced)) t.references.push(f.referenced);
    }
    return out;
  }

  async appliedMigrations() {
    const exists = await this.client.query<{ t: string | null }>("SELECT to_regclass('_prisma_migrations')::text AS t");
    if (!exists.rows[0].t) return null;
    const r = await this.client.query<{ migration_name: string }>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name",
    );
    return r.rows.map((x) => x.migration_name);
  }

  async count(table: string) {
    const r = await this.client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table)}`);
    return Number(r.rows[0].n);
  }

  async beginRead() {
    await this.client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }

  async endRead() {
    await this.client.query("COMMIT");
  }

  async *rows(table: Table) {
    const cursor = `db_copy_${++this.cursors}`;
    // text keys in byte order, as SQLite's BINARY collation orders them (whatever the database's locale)
    const order = (table.primaryKey.length ? table.primaryKey : table.columns.map((c) => c.name))
      .map((name) => {
        const kind = table.columns.find((c) => c.name === name)?.kind;
        return kind === "text" ? `${quote(name)} COLLATE "C"` : quote(name);
      })
      .join(", ");
    await this.client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${table.columns.map((c) => quote(c.name)).join(", ")} FROM ${quote(table.name)} ORDER BY ${order}`);
    try {
      for (;;) {
        const r = await this.client.query<unknown[]>({ text: `FETCH ${BATCH} FROM ${cursor}`, rowMode: "array" });
        if (!r.rows.length) break;
        yield r.rows.map((raw) => table.columns.map((c, i) => fromPostgres(c.kind, raw[i])));
      }
    } finally {
      await this.client.query(`CLOSE ${cursor}`);
    }
  }

  private async sequenceOf(table: string, column: string): Promise<string | null> {
    const r = await this.client.query<{ s: string | null }>("SELECT pg_get_serial_sequence($1, $2) AS s", [quote(table), column]);
    return r.rows[0].s;
  }

  async counter(table: string, column: string) {
    const sequence = await this.sequenceOf(table, column);
    if (!sequence) return 0;
    const r = await this.client.query<{ last_value: string; is_called: boolean }>(`SELECT last_value, is_called FROM ${sequence}`);
    return r.rows[0].is_called ? Number(r.rows[0].last_value) : 0;
  }

  async beginWrite() {
    await this.client.query("BEGIN");
  }

  async insert(table: Table, rows: Value[][]) {
    const cols = table.columns.map((c) => quote(c.name)).join(", ");
    const params: unknown[] = [];
    const tuples = rows.map((row) => `(${table.columns.map((c, i) => (params.push(toPostgres(c.kind, row[i])), `$${params.length}`)).join(", ")})`);
    await this.client.query(`INSERT INTO ${quote(table.name)} (${cols}) VALUES ${tuples.join(", ")}`, params);
  }

  async deleteAll(table: string) {
    await this.client.query(`DELETE FROM ${quote(table)}`);
  }

  async setCounter(table: string, column: string, last: number) {
    const sequence = await this.sequenceOf(table, column);
    if (!sequence) return;
    // setval(s, n, false): the next nextval is n itself
    await this.client.query("SELECT setval($1, $2, $3)", [sequence, Math.max(last, 1), last > 0]);
  }

  async commit() {
    await this.client.query("COMMIT");
  }

  async rollback() {
    await this.client.query("ROLLBACK");
  }

  async close() {
    await this.client.end();
  }
}
