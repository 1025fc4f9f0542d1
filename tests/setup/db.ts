import { copyFileSync } from "node:fs";
import path from "node:path";
import { createDb, type Db } from "~/utils/db.server";
import { BASE_DB, TMP } from "./paths";

/** A fresh, migrated, empty SQLite database of its own. Disconnect it when done. */
export function freshDb(): { db: Db; file: string } {
  const file = path.join(TMP, `db-${process.pid}-${Math.random().toString(36).slice(2)}.db`);
  copyFileSync(BASE_DB, file);
  return { db: createDb(file), file };
}
