import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { baseDbIn, TMP_ROOT } from "./paths";
import { postgresWanted, startTestCluster } from "./postgres";

// Each run works in tests/.tmp/run-<pid>, so two runs side by side (a developer and CI, or two
// terminals) never delete each other's databases. Folders of runs that died are cleared here.
export default async function setup(project: TestProject) {
  mkdirSync(TMP_ROOT, { recursive: true });
  for (const name of readdirSync(TMP_ROOT)) {
    const pid = /^run-(\d+)$/.exec(name)?.[1];
    if (pid && !alive(Number(pid))) rmSync(path.join(TMP_ROOT, name), { recursive: true, force: true });
  }
  const runDir = path.join(TMP_ROOT, `run-${process.pid}`);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const r = spawnSync("node", ["scripts/prisma.mjs", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${baseDbIn(runDir)}` },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`migrating the test base database failed:\n${r.stdout}\n${r.stderr}`);
  project.provide("testRunDir", runDir);
  // TEST_DATABASE=postgresql: the same suite against PostgreSQL (tests/setup/postgres.ts)
  const cluster = postgresWanted() ? await startTestCluster(`hub_test_${process.pid}`) : null;
  project.provide("testPostgresTemplate", cluster?.template ?? null);
  return () => {
    cluster?.stop();
    rmSync(runDir, { recursive: true, force: true });
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
