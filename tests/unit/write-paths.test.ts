import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { scanWrites, violations } from "../../scripts/write-paths";

// STYLE.md: each noun's model is its only write path. scripts/write-paths.ts finds every Prisma
// and raw SQL write in app/; a new one outside its noun's model (and off the allow-list) fails here.

describe("write paths per noun", () => {
  test("every write in app/ goes through its noun's model", () => {
    const writes = scanWrites(process.cwd());
    expect(writes.length).toBeGreaterThan(100);
    expect(violations(writes).map((w) => `${w.file}:${w.line} writes ${w.noun}`)).toEqual([]);
  });

  const root = mkdtempSync(path.join(os.tmpdir(), "write-paths-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("a route, or another noun's model, writing a noun is caught; its own model is not", () => {
    mkdirSync(path.join(root, "prisma"));
    mkdirSync(path.join(root, "app/routes"), { recursive: true });
    mkdirSync(path.join(root, "app/models"), { recursive: true });
    writeFileSync(path.join(root, "prisma/schema.prisma"), readFileSync("prisma/schema.prisma"));
    writeFileSync(path.join(root, "app/models/studio.server.ts"), `export const f = (tx) => tx.studio.update({ where: { id: "a" }, data: {} });\n`);
    writeFileSync(
      path.join(root, "app/routes/studios.$slug.tsx"),
      [
        `await db.studio\n  .updateMany({ data: {} });`,
        "sqlite.prepare(`UPDATE Studio SET name = ? WHERE id = ?`);",
        "sqlite.exec(`INSERT INTO temp_counts VALUES (1)`);",
        "",
      ].join("\n"),
    );
    writeFileSync(path.join(root, "app/models/patent.server.ts"), `await tx.activity.create({ data: { verb: "patent.updated" } });\n`);
    const found = violations(scanWrites(root)).map((w) => `${w.file}:${w.line} ${w.noun} ${w.kind}`);
    expect(found).toEqual(["app/models/patent.server.ts:1 activity prisma", "app/routes/studios.$slug.tsx:1 studio prisma", "app/routes/studios.$slug.tsx:3 studio sql"]);
  });
});
