import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^file:/, "DATABASE_URL must be a SQLite file URL such as file:./data/hub.db")
    .default("file:./data/hub.db"),
  MEILI_HOST: z.url("MEILI_HOST must be a URL such as http://127.0.0.1:7700").optional(),
  MEILI_API_KEY: z.string().optional(),
  SESSION_SECRET: z.string().min(16, "SESSION_SECRET must be at least 16 characters").optional(),
  UPLOAD_DAILY_MB: z.coerce.number("UPLOAD_DAILY_MB must be a number of megabytes").positive("UPLOAD_DAILY_MB must be more than 0").default(200),
});

export type Env = z.infer<typeof EnvSchema> & { SESSION_SECRET: string; databaseFile: string };

let cached: Env | null = null;

/** Validated environment; fails fast with the variable's name when a value is wrong. */
export function getEnv(): Env {
  if (cached) return cached;
  const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const databaseFile = databaseFileFromUrl(parsed.data.DATABASE_URL);
  cached = {
    ...parsed.data,
    databaseFile,
    SESSION_SECRET: parsed.data.SESSION_SECRET ?? sessionSecretBeside(databaseFile),
  };
  return cached;
}

export function databaseFileFromUrl(url: string): string {
  return path.resolve(url.replace(/^file:/, ""));
}

/** SESSION_SECRET is optional: one is generated once and kept next to the database. */
function sessionSecretBeside(databaseFile: string): string {
  const file = path.join(path.dirname(databaseFile), "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  console.warn(`SESSION_SECRET is not set: generated one and kept it in ${file}`);
  return secret;
}
