// A database migrated by a newer version of the hub (its _prisma_migrations lists a migration this
// checkout does not have) is refused by every way of starting — the migration command (which
// `npm start` and the systemd migration unit run), `npm start` itself and server.mjs — with a
// message naming the migration and saying to upgrade, and nothing is migrated or rolled back.
// On SQLite, and with TEST_DATABASE=postgresql on PostgreSQL.
import { spawnSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "~/utils/db.server";
import { knownMigrations, NEWER_DATABASE_EXIT, unknownMigrations } from "~/utils/migration-guard.mjs";
import { freshDb } from "../setup/db";

const NEWER = "29991231000000_added_by_a_newer_version";
const NEWER_TOO = "29991231000001_and_another";

let db: Db;
let url: string;

beforeEach(() => {
  const fresh = freshDb();
  db = fresh.db;
  url = fresh.file.startsWith("postgres") ? fresh.file : `file:${fresh.file}`;
});
afterEach(async () => {
  await db.$disconnect();
});

async function recorded(): Promise<string[]> {
  const rows = await db.$queryRaw<{ migration_name: string }[]>`SELECT migration_name FROM _prisma_migrations ORDER BY migration_name`;
  return rows.map((r) => r.migration_name);
}

async function record(name: string, o: { rolledBack?: boolean } = {}) {
  const id = `test-${Math.random().toString(36).slice(2)}`;
  if (o.rolledBack) {
    await db.$executeRaw`INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, rolled_back_at, applied_steps_count) VALUES (${id}, ${"0".repeat(64)}, ${name}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)`;
  } else {
    await db.$executeRaw`INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count) VALUES (${id}, ${"0".repeat(64)}, ${name}, CURRENT_TIMESTAMP, 1)`;
  }
}

function run(args: string[]) {
  const r = spawnSync(process.execPath, args, {
    env: { ...process.env, DATABASE_URL: url, PORT: "3471", NODE_ENV: "production", DEMO_ACCOUNTS: "0" },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

test("a database this checkout migrated has no unknown migration, and migrating it again succeeds", async () => {
  const known = knownMigrations(url);
  expect(known.length).toBeGreaterThan(0);
  expect(await recorded()).toEqual(known);
  expect(await unknownMigrations(url)).toEqual([]);
  await db.$disconnect();
  const r = run(["--import", "tsx", "scripts/migrate.ts"]);
  expect(r.out).toContain("is up to date");
  expect(r.status).toBe(0);
});

test("a migration marked rolled back is not counted as applied by a newer version", async () => {
  await record(NEWER, { rolledBack: true });
  expect(await unknownMigrations(url)).toEqual([]);
});

describe("a database that lists migrations this checkout does not have", () => {
  let before: string[];
  let lastKnown: string;
  beforeEach(async () => {
    // the last migration of this checkout taken off the record: if anything ran `migrate deploy`,
    // it would apply it again and record it (or fail half-way and record that)
    lastKnown = knownMigrations(url).at(-1)!;
    await db.$executeRaw`DELETE FROM _prisma_migrations WHERE migration_name = ${lastKnown}`;
    await record(NEWER);
    await record(NEWER_TOO);
    before = await recorded();
    expect(before).not.toContain(lastKnown);
  });

  test("is named by the check", async () => {
    expect(await unknownMigrations(url)).toEqual([NEWER, NEWER_TOO]);
  });

  test.each([
    ["the migration command (npm run db:migrate, the systemd migration unit)", ["--import", "tsx", "scripts/migrate.ts"]],
    ["npm start", ["scripts/start.mjs", "--no-build"]],
    ["server.mjs", ["server.mjs"]],
  ])("is refused by %s, which names the migrations, says to upgrade and changes nothing", async (_, args) => {
    await db.$disconnect();
    const r = run(args);
    // (78, which the systemd units do not restart)
    expect(r.status).toBe(NEWER_DATABASE_EXIT);
    expect(r.out).toContain("was migrated by a newer version of Studio Alliance Hub");
    expect(r.out).toContain(`  ${NEWER}\n  ${NEWER_TOO}\n`);
    expect(r.out).toContain("Upgrade the app");
    expect(r.out).not.toContain("Studio Alliance Hub on http");
    expect(r.out).not.toContain("is up to date");
    expect(await recorded()).toEqual(before);
  });
});
