import path from "node:path";

/** Test runs keep their files here, each run in a folder of its own (tests/setup/global-setup.ts). */
export const TMP_ROOT = path.resolve("tests/.tmp");
/** The database migrated once per run; each test file works on its own copy. */
export const baseDbIn = (runDir: string) => path.join(runDir, "base.db");

declare module "vitest" {
  export interface ProvidedContext {
    /** this run's folder under tests/.tmp, from global-setup */
    testRunDir: string;
    /**
     * with TEST_DATABASE=postgresql: the URL of a migrated template database in this run's
     * throwaway cluster (tests/setup/postgres.ts); each test file gets a copy of its own
     */
    testPostgresTemplate: string | null;
  }
}
