// The one list of Lexical node types a body may contain. The editor's node list
// (components/editor/nodes.ts), the Markdown importer's (markdown.worker.mjs, handed the modules
// below), the validator's whitelist (validate.ts) and the server renderer (render.server.tsx) all
// derive from it; tests/unit/lexical-registry.test.ts fails when one of them disagrees.
// Plain data, no Lexical imports: the validator and renderer load it without the editor.

/** Where a node's class comes from: Lexical's core (always registered), a Lexical package, or this app. */
export type NodeSource = { core: true } | { package: string; export: string } | { app: "ImageNode" };

export interface NodeSpec {
  /** element nodes hold children; leaf nodes (text, line breaks, images) do not */
  kind: "element" | "leaf";
  source: NodeSource;
  /** registered in the headless editor that converts Markdown from content files */
  markdown: boolean;
  /** ends a line in the plain text of a body (search, excerpts) */
  endsLine: boolean;
}

export const NODE_REGISTRY = {
  root: { kind: "element", source: { core: true }, markdown: true, endsLine: false },
  paragraph: { kind: "element", source: { core: true }, markdown: true, endsLine: true },
  text: { kind: "leaf", source: { core: true }, markdown: true, endsLine: false },
  linebreak: { kind: "leaf", source: { core: true }, markdown: true, endsLine: false },
  tab: { kind: "leaf", source: { core: true }, markdown: true, endsLine: false },
  heading: { kind: "element", source: { package: "@lexical/rich-text", export: "HeadingNode" }, markdown: true, endsLine: true },
  quote: { kind: "element", source: { package: "@lexical/rich-text", export: "QuoteNode" }, markdown: true, endsLine: true },
  list: { kind: "element", source: { package: "@lexical/list", export: "ListNode" }, markdown: true, endsLine: true },
  listitem: { kind: "element", source: { package: "@lexical/list", export: "ListItemNode" }, markdown: true, endsLine: true },
  link: { kind: "element", source: { package: "@lexical/link", export: "LinkNode" }, markdown: true, endsLine: false },
  autolink: { kind: "element", source: { package: "@lexical/link", export: "AutoLinkNode" }, markdown: true, endsLine: false },
  code: { kind: "element", source: { package: "@lexical/code", export: "CodeNode" }, markdown: true, endsLine: true },
  "code-highlight": { kind: "leaf", source: { package: "@lexical/code", export: "CodeHighlightNode" }, markdown: true, endsLine: false },
  // @lexical/markdown's TRANSFORMERS have no table or image syntax: editor only
  table: { kind: "element", source: { package: "@lexical/table", export: "TableNode" }, markdown: false, endsLine: true },
  tablerow: { kind: "element", source: { package: "@lexical/table", export: "TableRowNode" }, markdown: false, endsLine: true },
  tablecell: { kind: "element", source: { package: "@lexical/table", export: "TableCellNode" }, markdown: false, endsLine: false },
  image: { kind: "leaf", source: { app: "ImageNode" }, markdown: false, endsLine: false },
} as const satisfies Record<string, NodeSpec>;

export type NodeType = keyof typeof NODE_REGISTRY;

export const NODE_TYPES = Object.keys(NODE_REGISTRY) as NodeType[];

export function isNodeType(type: string): type is NodeType {
  return Object.prototype.hasOwnProperty.call(NODE_REGISTRY, type);
}

/** The Lexical package exports a body's non-core node types come from, for the editors that register classes. */
export function packageNodes(o: { markdown?: boolean } = {}): { type: NodeType; package: string; export: string }[] {
  return NODE_TYPES.flatMap((type) => {
    const spec: NodeSpec = NODE_REGISTRY[type];
    if (!("package" in spec.source) || (o.markdown && !spec.markdown)) return [];
    return [{ type, package: spec.source.package, export: spec.source.export }];
  });
}
