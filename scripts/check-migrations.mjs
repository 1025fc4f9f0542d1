#!/usr/bin/env node
// node scripts/check-migrations.mjs [postgresql://…/postgres]
// Both migration histories describe prisma/schema.prisma (docs/decisions/0027-postgresql.md): each
// is applied to an empty database, the database is introspected (`prisma db pull`), and the result
// is diffed against the provider's schema with `prisma migrate diff --exit-code`. (Diffing
// --from-migrations needs a shadow database, which Prisma refuses with a driver adapter.) The
// PostgreSQL history is checked when a URL of a server is given (scripts/pg-cluster.sh starts
// one): a database of its own is created there and dropped afterwards.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PG_SCHEMA, postgresSchema } from "./pg-schema.mjs";

const prisma = (args, url) => spawnSync("node", ["scripts/prisma.mjs", ...args], { env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" });
const tmp = mkdtempSync(path.join(os.tmpdir(), "hub-migrations-"));
let failed = false;

function check(label, url, schema) {
  const deploy = prisma(["migrate", "deploy"], url);
  if (deploy.status !== 0) {
    console.error(`${label}: applying the migrations failed:\n${deploy.stdout}${deploy.stderr}`);
    return (failed = true);
  }
  const pull = prisma(["db", "pull", "--print"], url);
  if (pull.status !== 0) {
    console.error(`${label}: introspecting the migrated database failed:\n${pull.stderr}`);
    return (failed = true);
  }
  // (the CLI prints a warning about the schema's url before the schema)
  const pulled = path.join(tmp, `${label}.prisma`);
  writeFileSync(pulled, pull.stdout.slice(pull.stdout.indexOf("generator ")));
  const diff = prisma(["migrate", "diff", "--from-schema-datamodel", pulled, "--to-schema-datamodel", schema, "--script", "--exit-code"], url);
  if (diff.status === 0) console.log(`${label}: the migrations describe ${schema}`);
  else {
    console.error(`${label}: the migrations do not describe ${schema}; what they lack:\n${diff.stdout}${diff.stderr}`);
    failed = true;
  }
}

if (readFileSync(PG_SCHEMA, "utf8") !== postgresSchema(readFileSync("prisma/schema.prisma", "utf8"))) {
  console.error(`${PG_SCHEMA} is out of date: run node scripts/prisma.mjs generate`);
  failed = true;
}
// every PostgreSQL migration after the baseline has its SQLite twin of the same name
const sqliteNames = new Set(readdirSync("prisma/migrations"));
for (const name of readdirSync("prisma/postgresql/migrations").filter((n) => /^\d{14}_/.test(n) && !n.endsWith("_baseline"))) {
  if (!sqliteNames.has(name)) {
    console.error(`prisma/postgresql/migrations/${name} has no twin in prisma/migrations`);
    failed = true;
  }
}
const newest = (dir) =>
  readdirSync(dir)
    .filter((n) => /^\d{14}_/.test(n))
    .sort()
    .at(-1);
if (newest("prisma/migrations")?.slice(0, 14) !== newest("prisma/postgresql/migrations")?.slice(0, 14)) {
  console.error("the newest migrations of the two histories differ: create migrations with npm run db:new-migration");
  failed = true;
}

check("sqlite", `file:${path.join(tmp, "check.db")}`, "prisma/schema.prisma");
const server = process.argv[2];
if (server) {
  const name = `hub_check_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(server);
    url.pathname = `/${name}`;
    check("postgresql", url.toString(), PG_SCHEMA);
  } finally {
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
} else console.log("postgresql: not checked (no server URL given)");
rmSync(tmp, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
