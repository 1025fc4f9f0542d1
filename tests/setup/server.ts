import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";

// The real built app, started as `npm start` starts it (server.mjs), for tests that talk HTTP to it.

/** Builds the app when build/ is missing or older than the sources (as `npm start` does). */
function ensureBuild() {
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

export async function startServer(env: Record<string, string> = {}): Promise<{ port: number; child: ChildProcess; output: () => string }> {
  ensureBuild();
  const port = await freePort();
  const child = spawn(process.execPath, ["server.mjs"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), INSECURE_COOKIES: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
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
