import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// Prisma 6 without engine downloads: the JS engine over better-sqlite3 (see docs/decisions/0002).
const url = process.env.DATABASE_URL ?? "file:./data/hub.db";

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaBetterSQLite3({ url }),
});
