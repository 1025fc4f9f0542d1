// npm run admin:create -- --email <address> --name <name>
// Creates a confirmed site admin, or promotes an existing account. The password comes from
// ADMIN_PASSWORD, or is asked for (not echoed) when a terminal is attached: never from the
// command line, where other users of the machine could read it in the process list.
import { parseArgs } from "node:util";
import { createOrPromoteAdmin } from "~/models/user.server";
import { isPublicDeployment } from "~/utils/deployment.server";
import { getEnv } from "~/utils/env.server";
import { migrate } from "./migrate";

const USAGE = "usage: npm run admin:create -- --email <address> [--name <name>]   (password: ADMIN_PASSWORD, or typed when asked)";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let args: { email?: string; name?: string };
try {
  args = parseArgs({ options: { email: { type: "string" }, name: { type: "string" } }, strict: true }).values;
} catch (e) {
  fail(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
}
if (!args.email) fail(`--email is required\n${USAGE}`);

let publicDeployment: boolean;
try {
  getEnv();
  publicDeployment = isPublicDeployment();
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}
await migrate();
const { db } = await import("~/utils/db.server");

const exists = (await db.user.count({ where: { email: args.email.trim().toLowerCase() } })) > 0;
let password = process.env.ADMIN_PASSWORD || undefined;
if (password === undefined && !exists) {
  if (!process.stdin.isTTY) fail("a new admin needs a password: set ADMIN_PASSWORD (no terminal to ask in)");
  password = await askHidden("password for the new admin (at least 10 characters): ");
  if ((await askHidden("the same password again: ")) !== password) fail("the two passwords differ; nothing was changed");
}

const result = await createOrPromoteAdmin({ email: args.email, name: args.name, password }, { publicDeployment });
await db.$disconnect();
if (!result.ok)
  fail(
    Object.entries(result.errors)
      .map(([field, message]) => `${field}: ${message}`)
      .join("\n") + "\nnothing was changed",
  );
console.log(result.created ? `created site admin ${result.email}` : `${result.email} is now a site admin`);

function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stdout.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    let typed = "";
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stdout.write("\n");
          return resolve(typed);
        }
        if (ch === "\u0003") process.exit(130); // Ctrl-C
        if (ch === "\u007f" || ch === "\b") typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on("data", onData);
  });
}
