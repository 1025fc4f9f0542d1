import path from "node:path";
import { getEnv } from "./env.server";

/** Uploaded images live next to the database, under data/uploads. */
export function uploadsDir() {
  return path.join(path.dirname(getEnv().databaseFile), "uploads");
}
