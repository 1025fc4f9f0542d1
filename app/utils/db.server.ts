import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "~/generated/prisma/client";
import { getEnv } from "./env.server";

export type { Prisma } from "~/generated/prisma/client";
export type Db = PrismaClient;
/** A Prisma transaction client: the models take it so that several writes share one transaction. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function createDb(databaseFile: string): PrismaClient {
  const adapter = new PrismaBetterSQLite3({ url: `file:${databaseFile}` });
  return new PrismaClient({ adapter });
}

declare global {
  // kept across dev rebuilds so each rebuild does not open a new connection
  var __db: PrismaClient | undefined;
}

export const db: PrismaClient = (globalThis.__db ??= createDb(getEnv().databaseFile));
