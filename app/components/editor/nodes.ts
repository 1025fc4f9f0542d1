import * as code from "@lexical/code";
import * as link from "@lexical/link";
import * as list from "@lexical/list";
import * as richText from "@lexical/rich-text";
import * as table from "@lexical/table";
import type { Klass, LexicalNode } from "lexical";
import { NODE_REGISTRY, NODE_TYPES, type NodeSpec } from "~/lexical/registry";
import { ImageNode } from "./image-node";

// The editor registers every non-core type of the node registry (app/lexical/registry.ts), so
// whatever it produces, pasted content included, can be validated and rendered on the server.
const PACKAGES: Record<string, Record<string, unknown>> = {
  "@lexical/code": code,
  "@lexical/link": link,
  "@lexical/list": list,
  "@lexical/rich-text": richText,
  "@lexical/table": table,
};
const APP_NODES = { ImageNode };

export const editorNodes: ReadonlyArray<Klass<LexicalNode>> = NODE_TYPES.flatMap((type) => {
  const source: NodeSpec["source"] = NODE_REGISTRY[type].source;
  if ("core" in source) return [];
  const klass = "app" in source ? APP_NODES[source.app] : PACKAGES[source.package]?.[source.export];
  if (typeof klass !== "function") throw new Error(`the editor has no class for the registry's node type "${type}"`);
  return [klass as Klass<LexicalNode>];
});
