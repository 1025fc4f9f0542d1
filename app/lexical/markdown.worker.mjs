// The Markdown → Lexical conversion on a worker thread (markdown.server.ts), so that an input on
// which @lexical/markdown takes minutes (thousands of emphasis markers in one paragraph) can be
// stopped at a deadline. Plain JavaScript: it runs without the TypeScript loader, in scripts and
// tests alike. Its output is validated against the node whitelist on the calling thread.
import { createHeadlessEditor } from "@lexical/headless";
import { $convertFromMarkdownString, TRANSFORMERS } from "@lexical/markdown";
import { parentPort, workerData } from "node:worker_threads";

// `nodes`: the node registry's Markdown types (registry.ts, packageNodes), as { package, export }
const { port, signal, nodes } = workerData;
const classes = await Promise.all(
  nodes.map(async (n) => {
    const klass = (await import(n.package))[n.export];
    if (typeof klass !== "function" || klass.getType() !== n.type) throw new Error(`${n.package} has no node class ${n.export} of type ${n.type}`);
    return klass;
  }),
);
const editor = createHeadlessEditor({
  namespace: "content-import",
  nodes: classes,
  onError: (error) => {
    throw error;
  },
});

function answer(message) {
  port.postMessage(message);
  Atomics.store(signal, 0, message.id);
  Atomics.notify(signal, 0);
}

parentPort.on("message", ({ id, markdown }) => {
  try {
    editor.update(() => $convertFromMarkdownString(markdown, TRANSFORMERS, undefined, false), { discrete: true });
    answer({ id, state: editor.getEditorState().toJSON() });
  } catch (e) {
    answer({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
Atomics.store(signal, 1, 1); // ready
Atomics.notify(signal, 1);
