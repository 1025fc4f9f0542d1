import { copyFileSync } from "node:fs";
import path from "node:path";
import { inject } from "vitest";
import { createDb, type Db } from "~/utils/db.server";
import { baseDbIn } from "./paths";
import { copyOfTemplateSync } from "./postgres";

/**
 * A fresh, migrated, empty SQLite database of its own (`file`: its path), or with
 * TEST_DATABASE=postgresql a PostgreSQL database (`file`: its URL). Disconnect it when done.
 */
export function freshDb(): { db: Db; file: string } {
  const template = inject("testPostgresTemplate");
  if (template) {
    const url = copyOfTemplateSync(template);
    return { db: createDb(url), file: url };
  }
  const runDir = inject("testRunDir");
  const file = path.join(runDir, `db-${process.pid}-${Math.random().toString(36).slice(2)}.db`);
  copyFileSync(baseDbIn(runDir), file);
  return { db: createDb(file), file };
}
