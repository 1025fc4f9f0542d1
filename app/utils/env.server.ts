import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/** The settings the app validates at start (README "Configuration"; deploy/ sets them). */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "DATABASE_URL must be a SQLite file URL such as file:./data/hub.db or a PostgreSQL URL postgresql://user@host:5432/hub")
    .default("file:./data/hub.db"),
  MEILI_HOST: z.url("MEILI_HOST must be a URL such as http://127.0.0.1:7700").optional(),
  MEILI_API_KEY: z.string().optional(),
  SESSION_SECRET: z.string().min(16, "SESSION_SECRET must be at least 16 characters").optional(),
  /** where uploads, mail and imports are kept with PostgreSQL (with SQLite: beside the database file) */
  DATA_DIR: z.string().optional(),
  UPLOAD_DAILY_MB: z.coerce.number("UPLOAD_DAILY_MB must be a number of megabytes").positive("UPLOAD_DAILY_MB must be more than 0").default(200),
});

export type Env = z.infer<typeof EnvSchema> & {
  SESSION_SECRET: string;
  /** the SQLite file, or with PostgreSQL the postgresql:// URL (what createDb takes) */
  databaseFile: string;
  /** DATABASE_URL is a PostgreSQL URL (docs/decisions/0027-postgresql.md) */
  postgres: boolean;
  /** the folder of uploads, mail, imports and the generated session secret */
  dataDir: string;
};

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
  const postgres = isPostgresUrl(parsed.data.DATABASE_URL);
  const databaseFile = postgres ? parsed.data.DATABASE_URL : databaseFileFromUrl(parsed.data.DATABASE_URL);
  const dataDir = path.resolve(parsed.data.DATA_DIR ?? (postgres ? "data" : path.dirname(databaseFile)));
  let secret = parsed.data.SESSION_SECRET;
  cached = { ...parsed.data, databaseFile, postgres, dataDir } as Env;
  // generated when first asked for, by what signs cookies: a command that only reads settings
  // (scripts/prepare.ts before server.mjs, which on PostgreSQL takes the secret from the database)
  // neither writes the file nor warns about it
  Object.defineProperty(cached, "SESSION_SECRET", { enumerable: true, get: () => (secret ??= sessionSecretIn(dataDir)) });
  return cached;
}

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

export function databaseFileFromUrl(url: string): string {
  return path.resolve(url.replace(/^file:/, ""));
}

/** SESSION_SECRET is optional: one is generated once and kept in the data folder (beside a SQLite database). */
function sessionSecretIn(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  console.warn(`SESSION_SECRET is not set: generated one and kept it in ${file}`);
  return secret;
}
