// The real built app as `npm start` serves it (server.mjs over `remix build`'s output), for tests
// that talk to it over HTTP: server.test.ts, db-copy.test.ts, and two-servers.test.ts with two of them at once.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";

/** Builds the app when build/ is missing or older than the sources (as `npm start` does). */
export function ensureBuild() {
  const built = existsSync("build/index.js") ? statSync("build/index.js").mtimeMs : 0;
  const newer = (p: string): boolean => {
    const s = statSync(p);
    if (!s.isDirectory()) return s.mtimeMs > built;
    return readdirSync(p).some((n) => n !== "generated" && newer(path.join(p, n)));
  };
  if (built && !["app", "search", "remix.config.js"].some(newer)) return;
  // (vitest sets NODE_ENV=test, which would build the development JSX runtime)
  const r = spawnSync("node_modules/.bin/remix", ["build"], { encoding: "utf8", env: { ...process.env, NODE_ENV: "production" } });
  if (r.status !== 0) throw new Error(`remix build failed:\n${r.stdout}\n${r.stderr}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  port: number;
  child: ChildProcess;
  output: () => string;
}

/**
 * server.mjs on a free port with the test process's environment and `env` over it; a variable set
 * to undefined in `env` is left out (the server must do without it).
 */
export async function startServer(env: Record<string, string | undefined> = {}): Promise<ServerProcess> {
  ensureBuild();
  const port = await freePort();
  const merged: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(port), INSECURE_COOKIES: "1" };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  const child = spawn(process.execPath, ["server.mjs"], { env: merged, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${out}`)), 60_000);
    child.stdout!.on("data", () => out.includes("Studio Alliance Hub on") && (clearTimeout(timer), resolve()));
    child.on("exit", (code) => reject(new Error(`the server ended (${code}):\n${out}`)));
  });
  return { port, child, output: () => out };
}
