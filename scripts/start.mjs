// npm start: prepare (scripts/prepare.ts: migrate, import content/ into an empty database, demo
// accounts, build if needed) in a process of its own, then serve (server.mjs). This launcher loads
// nothing of the app: what the preparation loaded (Prisma, jieba, the content import) is gone with
// its process instead of staying resident beside the server (~220 MB before, docs/page-speed-profile.md).
import { spawn, spawnSync } from "node:child_process";
import { heapFlags } from "../app/utils/heap-limit.mjs";

const prepare = spawnSync(process.execPath, ["--import", "tsx", "scripts/prepare.ts", ...process.argv.slice(2)], { stdio: "inherit" });
if (prepare.status !== 0) process.exit(prepare.status ?? 1);

// the server's old-space limit follows the hub's size (app/utils/heap-limit.mjs); with several
// processes server.mjs gives each worker its own when it starts it
const single = Number(process.env.WEB_CONCURRENCY ?? 1) === 1;
const server = spawn(process.execPath, [...(single ? await heapFlags(process.env.DATABASE_URL ?? "file:./data/hub.db") : []), "server.mjs"], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? "production" },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
