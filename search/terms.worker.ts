// A segmentation worker (see terms-pool.server.ts): packed terms for batches of documents.
import { parentPort } from "node:worker_threads";
import { encodeFields, type TermFields } from "./doc-terms";
import { segmenter } from "./segment";

segmenter(); // load the dictionary before saying ready
parentPort!.on("message", (m: { id: number; batch: TermFields[] }) => {
  try {
    parentPort!.postMessage({ id: m.id, packed: m.batch.map(encodeFields) });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
parentPort!.postMessage({ ready: true });
