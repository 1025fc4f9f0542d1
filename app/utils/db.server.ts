import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "~/generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "~/generated/prisma-pg/client";
import { registerPostgresClient } from "./db-provider.server";
import { getEnv, isPostgresUrl } from "./env.server";
import { registerRawConnection } from "./raw-sqlite.server";
import { ReadCache, isCacheableRead } from "./read-cache.server";
import { configureConnection, isBusyError } from "./sqlite-connection.server";

export type { Prisma } from "~/generated/prisma/client";
export type Db = PrismaClient;
/** A Prisma transaction client: the models take it so that several writes share one transaction. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

/**
 * A Prisma client for a SQLite file, or for a PostgreSQL database when given a postgresql:// URL
 * (docs/decisions/0027-postgresql.md).
 */
export function createDb(databaseFile: string): PrismaClient {
  if (isPostgresUrl(databaseFile)) return createPostgresDb(databaseFile);
  const adapter = new PrismaBetterSQLite3({ url: `file:${databaseFile}` });
  // remember the adapter's connection when it opens (see raw-sqlite.server.ts)
  const connect = adapter.connect.bind(adapter);
  adapter.connect = async () => {
    const opened = await connect();
    const sqlite = (opened as unknown as { client?: import("better-sqlite3").Database }).client;
    if (sqlite) registerRawConnection(client, configureConnection(sqlite, { immediateTransactions: true }));
    return opened;
  };
  // one connection per process: transactions queue for it, so waiting behind a burst of them in
  // this process must not fail sooner than waiting for another process's lock
  const base = new PrismaClient({ adapter, transactionOptions: { maxWait: 15_000, timeout: 15_000 } });
  const cache = new ReadCache(databaseFile);
  const client = withReadCache(base, cache);
  readCaches.set(client, cache);
  retryWhenBusy(client);
  return client;
}

/**
 * Reads answered from memory until the database changes (app/utils/read-cache.server.ts): the
 * client's model delegates (`db.result`, …) answer their read operations through the cache. A
 * transaction's client is made by Prisma from the unwrapped one, so reads inside a transaction
 * always ask the database. Reads are plain promises now, not Prisma's lazy ones: a batch
 * `db.$transaction([...])` holds writes only (as every batch here does).
 */
function withReadCache(client: PrismaClient, cache: ReadCache): PrismaClient {
  const models = new Set(Object.values(Prisma.ModelName).map((name) => name[0].toLowerCase() + name.slice(1)));
  const wrapped = new Map<string, object>();
  const delegate = (model: string, target: Record<string, unknown>) =>
    new Proxy(target, {
      get(d, op) {
        const value = Reflect.get(d, op, d);
        if (typeof value !== "function") return value;
        if (typeof op !== "string" || !isCacheableRead(op)) return value.bind(d);
        return (args?: unknown) => cache.read(`${model}.${op}`, args, () => value.call(d, args));
      },
    });
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof prop === "string" && models.has(prop) && value && typeof value === "object") {
        let d = wrapped.get(prop);
        if (!d) wrapped.set(prop, (d = delegate(prop, value as Record<string, unknown>)));
        return d;
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const readCaches = new WeakMap<object, ReadCache>();

/**
 * A model's answer derived from several reads (a list's order over every matching row, say), kept
 * like the reads themselves until the database changes, whatever its length — keep it small (keys,
 * not rows). `name` and `args` are its key; a client without a cache (a transaction's) runs it.
 * The answer is frozen: copy it before changing it.
 */
export function keptUntilChange<T>(client: object, name: string, args: unknown, run: () => Promise<T>): Promise<T> {
  const cache = readCaches.get(client);
  return cache ? cache.read(`derived:${name}`, args, run, { anySize: true }) : run();
}

/** The read cache of a client made by createDb: its hit and miss counts (tests, benches). */
export function readCacheOf(client: object): ReadCache | undefined {
  return readCaches.get(client);
}

/**
 * The PostgreSQL client has the SQLite client's type: both are generated from the same models
 * (prisma/postgresql/schema.prisma is written from prisma/schema.prisma), so their model APIs are
 * the same and every model takes either. The cast is checked by the integration suite running on
 * both databases; the few raw statements ask db-provider.server.ts which SQL to speak.
 */
function createPostgresDb(url: string): PrismaClient {
  // idle connections do not keep a process alive (scripts end when their work is done, as on SQLite)
  const adapter = new PrismaPg({ connectionString: url, allowExitOnIdle: true });
  // Serializable: the models count on SQLite's one writer at a time (a version check, a count
  // against a limit, a job claim read and written in one transaction); on PostgreSQL serializable
  // transactions give the same outcome, and the one that loses a conflict is run again (below)
  const base = new PostgresPrismaClient({
    adapter,
    transactionOptions: { maxWait: 15_000, timeout: 15_000, isolationLevel: "Serializable" },
  }) as unknown as PrismaClient;
  const cache = new ReadCache(url);
  const client = withReadCache(base, cache);
  readCaches.set(client, cache);
  registerPostgresClient(client);
  retryWhenBusy(client);
  return client;
}

const TRANSACTION_ATTEMPTS = 8;

/**
 * A transaction that found the write lock taken for longer than the busy timeout (a long import in
 * another process) is run again from the start, after a short random pause: with BEGIN IMMEDIATE
 * nothing of it was written, and the callback reads afresh. On PostgreSQL the same for a transaction
 * chosen as a deadlock's victim or failing serialization (P2034): it was rolled back whole.
 */
function retryWhenBusy(client: PrismaClient) {
  const transaction = client.$transaction.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as unknown as { $transaction: (...args: unknown[]) => Promise<unknown> }).$transaction = async (...args: unknown[]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await transaction(...args);
      } catch (e) {
        if (attempt >= TRANSACTION_ATTEMPTS || !(isBusyError(e) || isWriteConflict(e))) throw e;
        await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 200));
      }
    }
  };
}

/** PostgreSQL rolled the transaction back as a deadlock's victim or a serialization failure. */
function isWriteConflict(e: unknown): boolean {
  if (!e || typeof e !== "object") return false;
  const err = e as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } };
  const original = err.meta?.driverAdapterError?.cause?.originalCode;
  return err.code === "P2034" || original === "40P01" || original === "40001";
}

declare global {
  // kept across dev rebuilds so each rebuild does not open a new connection
  var __db: PrismaClient | undefined;
}

export const db: PrismaClient = (globalThis.__db ??= createDb(getEnv().databaseFile));
