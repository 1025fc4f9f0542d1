import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { Prisma, PrismaClient } from "~/generated/prisma/client";
import { getEnv } from "./env.server";
import { registerRawConnection } from "./raw-sqlite.server";
import { ReadCache, isCacheableRead } from "./read-cache.server";
import { configureConnection, isBusyError } from "./sqlite-connection.server";

export type { Prisma } from "~/generated/prisma/client";
export type Db = PrismaClient;
/** A Prisma transaction client: the models take it so that several writes share one transaction. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function createDb(databaseFile: string): PrismaClient {
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

/** The read cache of a client made by createDb: its hit and miss counts (tests, benches). */
export function readCacheOf(client: object): ReadCache | undefined {
  return readCaches.get(client);
}

const TRANSACTION_ATTEMPTS = 5;

/**
 * A transaction that found the write lock taken for longer than the busy timeout (a long import in
 * another process) is run again from the start, after a short random pause: with BEGIN IMMEDIATE
 * nothing of it was written, and the callback reads afresh.
 */
function retryWhenBusy(client: PrismaClient) {
  const transaction = client.$transaction.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as unknown as { $transaction: (...args: unknown[]) => Promise<unknown> }).$transaction = async (...args: unknown[]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await transaction(...args);
      } catch (e) {
        if (attempt >= TRANSACTION_ATTEMPTS || !isBusyError(e)) throw e;
        await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 200));
      }
    }
  };
}

declare global {
  // kept across dev rebuilds so each rebuild does not open a new connection
  var __db: PrismaClient | undefined;
}

export const db: PrismaClient = (globalThis.__db ??= createDb(getEnv().databaseFile));
