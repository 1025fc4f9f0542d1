// npm run db:new-migration -- <name>
// Writes prisma/migrations/<timestamp>_<name>/migration.sql from the difference between the schema
// snapshot kept beside the last migration and prisma/schema.prisma. `prisma migrate dev` cannot run
// with the engine-less client (STACK.md), and diffing against a migrated database would also see the
// hand-written FTS5 tables, so each migration keeps the schema it was written from.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]+/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run db:new-migration -- <name>");
  process.exit(2);
}
const dir = "prisma/migrations";
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
  ["scripts/prisma.mjs", "migrate", "diff", ...(from ? ["--from-schema-datamodel", from] : ["--from-empty"]), "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
  { encoding: "utf8" },
);
if (/This is an empty migration/.test(sql) || !sql.trim()) {
  console.log("schema.prisma has not changed since the last migration; nothing written");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const out = path.join(dir, `${stamp}_${name}`);
mkdirSync(out, { recursive: true });
const note = /DROP TABLE|RENAME TO/.test(sql)
  ? "\n-- NOTE: this migration redefines tables. Prisma drops triggers on redefined tables:\n-- re-create the search triggers here (see the search migration) and run the search tests.\n"
  : "";
writeFileSync(path.join(out, "migration.sql"), sql + note);
copyFileSync("prisma/schema.prisma", path.join(out, "schema.prisma"));
console.log(`wrote ${out}/migration.sql${note ? " (redefines tables: see the note at its end)" : ""}`);
