// The old-space limit a server process is started with follows the hub's size (app/utils/heap-limit.mjs).
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { BASE_MB, heapLimitGiven, heapLimitMb, searchDocuments } from "../../app/utils/heap-limit.mjs";

const dir = mkdtempSync(path.join(tmpdir(), "heap-limit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the server's old-space limit", () => {
  test("grows with the search documents: the seed's 122 stay under 200 MB, 100,000 get about 2.5 GB", () => {
    expect(heapLimitMb(0)).toBe(BASE_MB);
    expect(heapLimitMb(122)).toBe(195);
    expect(heapLimitMb(100_000)).toBe(2536);
    expect(heapLimitMb(-5)).toBe(BASE_MB);
  });

  test("a limit given on the command line or in NODE_OPTIONS is left alone", () => {
    expect(heapLimitGiven([], "")).toBe(false);
    expect(heapLimitGiven(["--max-old-space-size=512"], "")).toBe(true);
    expect(heapLimitGiven([], "--enable-source-maps --max-old-space-size=300")).toBe(true);
    expect(heapLimitGiven([], "--max_old_space_size=300")).toBe(true);
  });

  test("counts the search documents of a SQLite hub: 0 for a hub not made yet, and none (no limit) for a database it cannot read", async () => {
    const file = path.join(dir, "hub.db");
    const db = new Database(file);
    db.exec(`CREATE TABLE SearchDoc (id TEXT PRIMARY KEY)`);
    const insert = db.prepare(`INSERT INTO SearchDoc (id) VALUES (?)`);
    for (let i = 0; i < 37; i++) insert.run(`d${i}`);
    db.close();
    expect(await searchDocuments(`file:${file}`)).toBe(37);
    expect(await searchDocuments(`file:${path.join(dir, "none.db")}`)).toBe(0);
    const other = path.join(dir, "other.db");
    new Database(other).close();
    expect(await searchDocuments(`file:${other}`)).toBeNull();
    expect(await searchDocuments("postgresql://nobody@127.0.0.1:1/none")).toBeNull();
  });
});
