// Column values between SQLite and PostgreSQL (npm run db:copy, docs/backup.md): every value is read
// into one canonical form, written from it in the target's own representation (as Prisma writes it
// there), and hashed from it, so that the two databases' checksums of the same rows agree.

/** What a column holds, whichever database it is in (Prisma's scalar types). */
export type Kind = "text" | "int" | "bigint" | "float" | "bool" | "datetime" | "bytes" | "decimal" | "json";

/**
 * The canonical value of each kind: text, decimal and json are strings (decimal without trailing
 * zeros, json with sorted keys), datetime an ISO string in UTC with milliseconds, int and float
 * numbers, bigint a bigint, bytes a Buffer, bool a boolean.
 */
export type Value = string | number | bigint | boolean | Buffer | null;

/** A SQLite column's declared type, as Prisma's migrations declare it, as a kind. */
export function sqliteKind(declared: string): Kind | null {
  const t = declared.trim().toUpperCase();
  if (t === "BIGINT") return "bigint";
  if (t === "INTEGER" || t === "INT" || t === "SMALLINT") return "int";
  if (t === "REAL" || t === "DOUBLE" || t === "FLOAT" || t === "DOUBLE PRECISION") return "float";
  if (t === "BOOLEAN") return "bool";
  if (t === "DATETIME" || t === "TIMESTAMP" || t === "DATE") return "datetime";
  if (t === "BLOB") return "bytes";
  if (t.startsWith("DECIMAL") || t === "NUMERIC") return "decimal";
  if (t === "JSON" || t === "JSONB") return "json";
  if (t === "TEXT" || t === "" || t.startsWith("VARCHAR")) return "text";
  return null;
}

/** A PostgreSQL column's type (information_schema.columns.udt_name) as a kind. */
export function postgresKind(udt: string): Kind | null {
  switch (udt) {
    case "int2":
    case "int4":
      return "int";
    case "int8":
      return "bigint";
    case "float4":
    case "float8":
      return "float";
    case "bool":
      return "bool";
    case "timestamp":
    case "timestamptz":
    case "date":
      return "datetime";
    case "bytea":
      return "bytes";
    case "numeric":
      return "decimal";
    case "json":
    case "jsonb":
      return "json";
    case "text":
    case "varchar":
    case "bpchar":
      return "text";
    default:
      return null;
  }
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A timestamp as SQLite or PostgreSQL hands it back, as ISO UTC with milliseconds: Prisma's
 * `…+00:00` text and unix milliseconds on SQLite, `CURRENT_TIMESTAMP`'s `YYYY-MM-DD HH:MM:SS` (UTC),
 * PostgreSQL's `timestamp(3)` text (Prisma keeps UTC there) and `timestamptz` with its offset.
 */
export function parseTimestamp(raw: string | number | bigint): string {
  if (typeof raw !== "string") return new Date(Number(raw)).toISOString();
  const m = TIMESTAMP.exec(raw.trim());
  if (!m) throw new Error(`not a timestamp: ${JSON.stringify(raw)}`);
  const [, date, time = "00:00:00", zone] = m;
  const [hms, fraction = ""] = time.split(".");
  const ms = (fraction + "000").slice(0, 3);
  let offset = "Z";
  if (zone && zone.toUpperCase() !== "Z") {
    const digits = zone.replace(":", "");
    offset = `${digits.slice(0, 3)}:${digits.slice(3, 5) || "00"}`;
  }
  const d = new Date(`${date}T${hms.length === 5 ? hms + ":00" : hms}.${ms}${offset}`);
  if (Number.isNaN(d.getTime())) throw new Error(`not a timestamp: ${JSON.stringify(raw)}`);
  return d.toISOString();
}

/** Sorted keys, no spaces: PostgreSQL's jsonb reorders keys, SQLite keeps the text as written. */
export function canonicalJson(text: string): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === "object")
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return JSON.stringify(sort(JSON.parse(text)));
}

/** `1.500` and `1.5` are the same decimal (PostgreSQL pads Prisma's DECIMAL(65,30) with zeros). */
export function canonicalDecimal(text: string): string {
  const t = text.trim();
  if (!/^-?\d+(\.\d+)?$/.test(t)) return t;
  const trimmed = t.includes(".") ? t.replace(/0+$/, "").replace(/\.$/, "") : t;
  return trimmed === "-0" ? "0" : trimmed;
}

/** A value read by better-sqlite3 (integers as bigint: statements read with safeIntegers). */
export function fromSqlite(kind: Kind, raw: unknown): Value {
  if (raw === null || raw === undefined) return null;
  switch (kind) {
    case "text":
      return typeof raw === "string" ? raw : Buffer.isBuffer(raw) ? raw.toString("utf8") : String(raw);
    case "int":
    case "float":
      return Number(raw);
    case "bigint":
      return BigInt(raw as string | number | bigint);
    case "bool":
      return Number(raw) !== 0;
    case "datetime":
      return parseTimestamp(raw as string | number | bigint);
    case "bytes":
      return Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw), "utf8");
    case "decimal":
      return canonicalDecimal(String(raw));
    case "json":
      return canonicalJson(String(raw));
  }
}

/**
 * A value read by node-postgres with the parsers of `postgresTypes` (timestamps, int8, numeric
 * and json as their text).
 */
export function fromPostgres(kind: Kind, raw: unknown): Value {
  if (raw === null || raw === undefined) return null;
  switch (kind) {
    case "text":
      return String(raw);
    case "int":
    case "float":
      return Number(raw);
    case "bigint":
      return BigInt(raw as string);
    case "bool":
      return raw === true || raw === "t";
    case "datetime":
      return parseTimestamp(raw instanceof Date ? raw.getTime() : (raw as string));
    case "bytes":
      return raw as Buffer;
    case "decimal":
      return canonicalDecimal(String(raw));
    case "json":
      return canonicalJson(typeof raw === "string" ? raw : JSON.stringify(raw));
  }
}

/** A canonical value as better-sqlite3 should bind it, in Prisma's own SQLite representation. */
export function toSqlite(kind: Kind, v: Value): unknown {
  if (v === null) return null;
  switch (kind) {
    case "bool":
      return v ? 1 : 0;
    case "datetime":
      // what @prisma/adapter-better-sqlite3 writes (timestampFormat iso8601)
      return (v as string).replace("Z", "+00:00");
    case "decimal":
      // Prisma binds a decimal as a float on SQLite
      return Number(v);
    default:
      return v;
  }
}

/** A canonical value as node-postgres should bind it. */
export function toPostgres(kind: Kind, v: Value): unknown {
  if (v === null) return null;
  if (typeof v === "bigint") return v.toString();
  // (timestamp without time zone ignores the Z: the UTC wall-clock time Prisma keeps is stored)
  return v;
}

/** One row's line in a table's checksum: the canonical values as JSON, columns sorted by name. */
export function rowLine(values: readonly Value[]): string {
  return JSON.stringify(values.map((v) => (typeof v === "bigint" ? { n: v.toString() } : Buffer.isBuffer(v) ? { b: v.toString("base64") } : v))) + "\n";
}
