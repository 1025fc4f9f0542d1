// Bulk index writes (npm run search:reindex, imports) segment on worker threads
// (search/terms-pool.server.ts): what a worker packs must be what the writing thread would have
// stored for the same document, or a reindex would change search answers; and a worker that dies
// must fail its batches (writeDocuments then segments them itself) rather than leave them waiting.
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, test } from "vitest";
import { encodeFields, type TermFields } from "../../search/doc-terms";
import { TermsPool, termsPool } from "../../search/terms-pool.server";

const batch: TermFields[] = [
  ["焊接机器人工作站", "焊接 机器人 自动化", "中车洛阳 王师傅工作室", "车身焊装线上的焊接机器人，节拍提升 30%。"],
  ["变电站巡检仿真平台", "巡检 仿真 VR", "国网许昌", "新员工在虚拟变电站里练习倒闸操作。"],
  ["PLC programming for CNC", "plc cnc", "", "Ladder logic, typo-tolerant search of English words."],
];

// the workers as termsPool() starts them under tsx (a test runner's module loader cannot start them;
// the bare specifier resolves from the working directory, the repository)
const entry = new URL("../../search/terms.worker.ts", import.meta.url).href;
const workers: Worker[] = [];
function startWorker(): Promise<Worker> {
  const w = new Worker(`import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`, { eval: true });
  workers.push(w);
  return new Promise((resolve, reject) => {
    w.once("message", () => resolve(w));
    w.once("error", reject);
  });
}
afterAll(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
});

describe("the segmentation workers", () => {
  test("pack each document's terms exactly as the writing thread does, batch after batch", async () => {
    const pool = new TermsPool(await Promise.all([startWorker(), startWorker()]));
    expect(pool.size).toBe(2);
    const expected = batch.map(encodeFields);
    // more batches than workers: each answers its own
    const answers = await Promise.all([pool.encode(batch), pool.encode(batch.slice(1)), pool.encode([batch[2]])]);
    expect(answers).toEqual([expected, expected.slice(1), [expected[2]]]);
    expect(pool.broken).toBe(false);
  }, 60_000);

  test("a worker that exits fails the batches waiting on it, and the pool takes no more", async () => {
    const worker = await startWorker();
    const pool = new TermsPool([worker]);
    // (stopped before it can read the batch: it would otherwise answer first)
    const stopping = worker.terminate();
    const waiting = pool.encode(batch);
    await stopping;
    await expect(waiting).rejects.toThrow(/exited/);
    expect(pool.broken).toBe(true);
    await expect(pool.encode(batch)).rejects.toThrow(/gone/);
  }, 60_000);

  test("where workers cannot start (here, a test runner's loader) there is no pool: callers segment themselves", async () => {
    expect(await termsPool()).toBeNull();
  });
});
