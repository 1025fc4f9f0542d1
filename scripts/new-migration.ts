// npm run db:new-migration -- <name>
// Writes prisma/migrations/<timestamp>_<name>/migration.sql, and its PostgreSQL twin in
// prisma/postgresql/migrations/, from the difference between the schema
// snapshot kept beside the last migration and prisma/schema.prisma. `prisma migrate dev` cannot run
// with the engine-less client (STACK.md), and diffing against a migrated database would also see the
// hand-written FTS5 tables, so each migration keeps the schema it was written from.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PG_SCHEMA, postgresSchema } from "./pg-schema.mjs";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]+/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run db:new-migration -- <name>");
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);

// prisma/postgresql/schema.prisma follows prisma/schema.prisma (scripts/pg-schema.mjs); both
// histories get a migration of the same name (docs/decisions/0027-postgresql.md)
writeFileSync(PG_SCHEMA, postgresSchema(readFileSync("prisma/schema.prisma", "utf8")));
// Prisma's PostgreSQL diff connects to a server even between two schema files: DATABASE_URL when
// it is one, else a throwaway cluster (scripts/pg-cluster.sh) for the length of this script
let cluster: string | null = null;
let pgUrl = process.env.DATABASE_URL?.startsWith("postgresql://") ? process.env.DATABASE_URL : null;
if (!pgUrl) {
  const started = spawnSync("bash", ["scripts/pg-cluster.sh", "start"], { encoding: "utf8" });
  if (started.status !== 0) {
    console.error(`could not start a PostgreSQL cluster for the PostgreSQL migration:\n${started.stderr}`);
    process.exit(1);
  }
  pgUrl = started.stdout.trim();
  cluster = started.stderr.trim().split("\n").at(-1)!;
}
process.on("exit", () => {
  if (cluster) spawnSync("bash", ["scripts/pg-cluster.sh", "stop", cluster]);
});
const providers = [
  { dir: "prisma/migrations", schema: "prisma/schema.prisma", url: "file:./data/hub.db" },
  { dir: "prisma/postgresql/migrations", schema: PG_SCHEMA, url: pgUrl },
];
const written: string[] = [];
for (const { dir, schema, url } of providers) {
  const last = readdirSync(dir)
    .filter((d) => /^\d{14}_/.test(d))
    .sort()
    .at(-1);
  const from = last ? path.join(dir, last, "schema.prisma") : null;
  if (from && !existsSync(from)) {
    console.error(`${from} is missing: every migration keeps the schema it was written from`);
    process.exit(1);
  }
  const sql = execFileSync(
    "node",
    ["scripts/prisma.mjs", "migrate", "diff", ...(from ? ["--from-schema-datamodel", from] : ["--from-empty"]), "--to-schema-datamodel", schema, "--script"],
    { encoding: "utf8", env: { ...process.env, DATABASE_URL: url } },
  );
  if (/This is an empty migration/.test(sql) || !sql.trim()) {
    console.log(`${schema} has not changed since the last migration; nothing written`);
    continue;
  }
  const out = path.join(dir, `${stamp}_${name}`);
  mkdirSync(out, { recursive: true });
  const note = /DROP TABLE|RENAME TO/.test(sql)
    ? "\n-- NOTE: this migration redefines tables. Prisma drops triggers on redefined tables:\n-- re-create the search triggers here (see the search migration) and run the search tests.\n"
    : "";
  writeFileSync(path.join(out, "migration.sql"), sql + note);
  copyFileSync(schema, path.join(out, "schema.prisma"));
  written.push(out);
  console.log(`wrote ${out}/migration.sql${note ? " (redefines tables: see the note at its end)" : ""}`);
}
if (written.length === 1) console.warn("only one history got a migration: check both with node scripts/check-migrations.mjs");
