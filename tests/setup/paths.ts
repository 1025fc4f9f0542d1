import path from "node:path";

export const TMP = path.resolve("tests/.tmp");
/** A database migrated once per test run; each test file works on its own copy. */
export const BASE_DB = path.join(TMP, "base.db");
