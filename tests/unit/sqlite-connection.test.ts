// Every connection the app opens puts the file in WAL mode (app/utils/sqlite-connection.server.ts):
// in rollback-journal mode a reader's transaction holds up every writer, and a database migrated
// without `npm start` (prisma migrate deploy) stalled the 200-client load bench within 30 s.
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { configureConnection } from "~/utils/sqlite-connection.server";

const dir = mkdtempSync(path.join(tmpdir(), "hub-wal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a file in rollback-journal mode is switched to WAL, and a reader's open transaction then holds up no writer", () => {
  const file = path.join(dir, "journal.db");
  const plain = new Database(file);
  plain.exec("CREATE TABLE t (n INTEGER)");
  expect(plain.pragma("journal_mode", { simple: true })).toBe("delete");
  plain.close();

  const writer = configureConnection(new Database(file));
  expect(writer.pragma("journal_mode", { simple: true })).toBe("wal");
  const reader = new Database(file, { readonly: true });
  reader.exec("BEGIN");
  reader.prepare("SELECT count(*) FROM t").get();
  writer.pragma("busy_timeout = 0"); // a wait would fail at once instead
  writer.prepare("INSERT INTO t VALUES (1)").run();
  expect(writer.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 1 });
  reader.exec("COMMIT");
  reader.close();
  writer.close();
});

test("a database in memory keeps its own mode", () => {
  const memory = configureConnection(new Database(":memory:"));
  expect(memory.pragma("journal_mode", { simple: true })).toBe("memory");
  memory.close();
});
