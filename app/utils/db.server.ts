import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "~/generated/prisma/client";
import { getEnv } from "./env.server";
import { registerRawConnection } from "./raw-sqlite.server";

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
    if (sqlite) registerRawConnection(client, sqlite);
    return opened;
  };
  const client = new PrismaClient({ adapter });
  return client;
}

declare global {
  // kept across dev rebuilds so each rebuild does not open a new connection
  var __db: PrismaClient | undefined;
}

export const db: PrismaClient = (globalThis.__db ??= createDb(getEnv().databaseFile));
