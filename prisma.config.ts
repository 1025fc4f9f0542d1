import path from "node:path";
import pg from "pg";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

// Prisma 6 without engine downloads: the JS engine over better-sqlite3 (see docs/decisions/0002),
// or over node-postgres when DATABASE_URL is a postgresql:// URL (docs/decisions/0027). Each
// provider has its own schema file (prisma/postgresql/schema.prisma is generated from
// prisma/schema.prisma) and its migrations folder beside it.
const url = process.env.DATABASE_URL ?? "file:./data/hub.db";
const postgres = /^postgres(ql)?:\/\//.test(url);

if (postgres) catalogColumnsAsText();

export default defineConfig({
  schema: postgres ? path.join("prisma", "postgresql", "schema.prisma") : path.join("prisma", "schema.prisma"),
  migrations: { path: postgres ? path.join("prisma", "postgresql", "migrations") : path.join("prisma", "migrations") },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => (postgres ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url })),
});

/**
 * Prisma's schema engine reads PostgreSQL's catalog, whose columns of type `name` and `"char"`
 * @prisma/adapter-pg 6.19.3 refuses ("Column type 'name' could not be deserialized", prisma/orm
 * issue 27403): in the CLI process only, such columns are reported as text (their values already
 * are strings), arrays of them as text arrays.
 */
function catalogColumnsAsText() {
  const AS_TEXT = new Set([18, 19, 24, 28, 194, 2205, 1033]);
  const AS_TEXT_ARRAY = new Set([1002, 1003, 1034]);
  const fix = (res: pg.QueryResult | undefined) => {
    for (const f of res?.fields ?? []) {
      if (AS_TEXT.has(f.dataTypeID)) f.dataTypeID = 25;
      else if (AS_TEXT_ARRAY.has(f.dataTypeID)) f.dataTypeID = 1009;
    }
    return res;
  };
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    // (a pool calls it with a callback; a client's own callers await its promise)
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const callback = args[last] as (err: unknown, res?: pg.QueryResult) => void;
      args[last] = (err: unknown, res?: pg.QueryResult) => callback(err, fix(res));
      return query.apply(this, args);
    }
    const r = query.apply(this, args);
    return r && typeof (r as Promise<unknown>).then === "function" ? (r as Promise<pg.QueryResult>).then(fix) : r;
  } as typeof pg.Client.prototype.query;
}
