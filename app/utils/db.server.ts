import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "~/generated/prisma/client";
import { getEnv } from "./env.server";
import { registerRawConnection } from "./raw-sqlite.server";
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
  const client = new PrismaClient({ adapter, transactionOptions: { maxWait: 15_000, timeout: 15_000 } });
  retryWhenBusy(client);
  return client;
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
