import type { Db } from "./db.server";

// PostgreSQL's counterpart of the TEMP triggers the SQLite paths use to notice writes cheaply
// (peers.server.ts, site-setting.server.ts; docs/decisions/0027-postgresql.md). A stamp is a row
// of hub_change_stamp that statement-level triggers on the watched tables bump in the writing
// transaction, so it moves exactly when such a write commits — on this server or any other.
// Reading it is one primary-key lookup. Read the stamp before the data it stands for: data read
// afterwards is at least as new, and a commit in between moves the stamp again (a spare rebuild,
// never a stale one).
//
// The table, function and triggers are created by the code that watches (as the SQLite TEMP
// triggers are), once per process and database, idempotently; they are not part of the Prisma
// schema, so the migration histories and their check never see them.

const created = new WeakMap<object, Map<string, Promise<void>>>();
const key = (client: object) => ((client as { _originalClient?: object })._originalClient ?? client) as object;
/** pg_advisory_xact_lock key: processes creating the triggers at once take turns */
const DDL_LOCK = 27_000_001;

/**
 * Makes every insert, delete, and update of the listed columns (all columns when the list is
 * empty) of the tables bump the stamp `name`.
 */
export function watchTables(db: Db, name: string, tables: Record<string, string[]>): Promise<void> {
  let byName = created.get(key(db));
  if (!byName) created.set(key(db), (byName = new Map()));
  let done = byName.get(name);
  if (!done) {
    done = db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${DDL_LOCK})`);
      await tx.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS hub_change_stamp (name TEXT PRIMARY KEY, n BIGINT NOT NULL DEFAULT 0)`);
      await tx.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION hub_bump_change_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO hub_change_stamp (name, n) VALUES (TG_ARGV[0], 1) ON CONFLICT (name) DO UPDATE SET n = hub_change_stamp.n + 1;
  RETURN NULL;
END $$`);
      await tx.$executeRawUnsafe(`INSERT INTO hub_change_stamp (name, n) VALUES ('${name}', 0) ON CONFLICT (name) DO NOTHING`);
      for (const [table, columns] of Object.entries(tables)) {
        const update = columns.length ? `UPDATE OF ${columns.map((c) => `"${c}"`).join(", ")}` : "UPDATE";
        await tx.$executeRawUnsafe(
          `CREATE OR REPLACE TRIGGER "hub_stamp_${name}_${table}" AFTER INSERT OR DELETE OR ${update} OR TRUNCATE ON "${table}"
           FOR EACH STATEMENT EXECUTE FUNCTION hub_bump_change_stamp('${name}')`,
        );
      }
    });
    done.catch(() => byName.delete(name));
    byName.set(name, done);
  }
  return done;
}

/** The stamp's current value (watchTables first). */
export async function changeStamp(db: Db, name: string): Promise<string> {
  const rows = await db.$queryRawUnsafe<{ n: bigint | number | string }[]>(`SELECT n FROM hub_change_stamp WHERE name = $1`, name);
  return String(rows[0]?.n ?? "");
}
