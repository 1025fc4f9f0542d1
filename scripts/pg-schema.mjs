#!/usr/bin/env node
// Writes prisma/postgresql/schema.prisma from prisma/schema.prisma, the one schema source
// (docs/decisions/0027-postgresql.md): the same models with the postgresql provider and a client of
// its own (a generated client is provider-specific). `--check` fails when the written file is stale.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";

export const PG_SCHEMA = "prisma/postgresql/schema.prisma";

export function postgresSchema(source) {
  let out = source;
  const swap = (from, to) => {
    if (!out.includes(from)) throw new Error(`prisma/schema.prisma no longer contains ${JSON.stringify(from)}: update scripts/pg-schema.mjs`);
    out = out.replace(from, to);
  };
  swap('provider = "sqlite"', 'provider = "postgresql"');
  swap('output     = "../app/generated/prisma"', 'output     = "../../app/generated/prisma-pg"');
  return "// GENERATED from prisma/schema.prisma by scripts/pg-schema.mjs — edit that file, not this one.\n" + out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = postgresSchema(readFileSync("prisma/schema.prisma", "utf8"));
  if (process.argv.includes("--check")) {
    if (!existsSync(PG_SCHEMA) || readFileSync(PG_SCHEMA, "utf8") !== text) {
      console.error(`${PG_SCHEMA} is out of date: run node scripts/pg-schema.mjs`);
      process.exit(1);
    }
  } else {
    mkdirSync("prisma/postgresql", { recursive: true });
    writeFileSync(PG_SCHEMA, text);
  }
}
