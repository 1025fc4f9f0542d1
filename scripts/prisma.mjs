#!/usr/bin/env node
// Runs the Prisma CLI with DATABASE_URL defaulted: without a URL Prisma 6 tries to download a
// query engine, which cannot be reached here (docs/decisions/0002-prisma-without-engines.md).
// A postgresql:// URL selects prisma/postgresql/ (prisma.config.ts, docs/decisions/0027).
// `generate` writes both clients: the SQLite one and the PostgreSQL one.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PG_SCHEMA, postgresSchema } from "./pg-schema.mjs";

if (!process.env.DATABASE_URL) process.env.DATABASE_URL = "file:./data/hub.db";
if (process.env.DATABASE_URL.startsWith("file:")) {
  const file = process.env.DATABASE_URL.replace(/^file:/, "");
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
}
const bin = path.resolve("node_modules/.bin/prisma");
const args = process.argv.slice(2);
const run = (argv, env = process.env) => spawnSync(bin, argv, { stdio: "inherit", env }).status ?? 1;

if (args[0] === "generate" && !args.some((a) => a.startsWith("--schema"))) {
  // the PostgreSQL schema follows the source on every generate
  mkdirSync(path.dirname(PG_SCHEMA), { recursive: true });
  writeFileSync(PG_SCHEMA, postgresSchema(readFileSync("prisma/schema.prisma", "utf8")));
  const first = run([...args, "--schema", "prisma/schema.prisma"], {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL.startsWith("file:") ? process.env.DATABASE_URL : "file:./data/hub.db",
  });
  if (first !== 0) process.exit(first);
  // with a SQLite URL the CLI would look for a query engine for the PostgreSQL schema: it is given
  // a PostgreSQL URL (nothing connects to it while generating)
  process.exit(run([...args, "--schema", PG_SCHEMA], { ...process.env, DATABASE_URL: "postgresql://generate@127.0.0.1:1/generate" }));
}
process.exit(run(args));
