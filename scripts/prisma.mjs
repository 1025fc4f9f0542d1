#!/usr/bin/env node
// Runs the Prisma CLI with DATABASE_URL defaulted: without a URL Prisma 6 tries to download a
// query engine, which cannot be reached here (docs/decisions/0002-prisma-without-engines.md).
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";

if (!process.env.DATABASE_URL) process.env.DATABASE_URL = "file:./data/hub.db";
const file = process.env.DATABASE_URL.replace(/^file:/, "");
mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
const bin = path.resolve("node_modules/.bin/prisma");
const r = spawnSync(bin, process.argv.slice(2), { stdio: "inherit", env: process.env });
process.exit(r.status ?? 1);
