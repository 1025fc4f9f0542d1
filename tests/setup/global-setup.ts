import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { BASE_DB, TMP } from "./paths";

export default function setup() {
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(TMP, { recursive: true });
  const r = spawnSync("node", ["scripts/prisma.mjs", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${BASE_DB}` },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`migrating the test base database failed:\n${r.stdout}\n${r.stderr}`);
}
