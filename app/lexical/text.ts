import type { SerializedNode, SerializedState } from "./nodes";
import { NODE_REGISTRY, NODE_TYPES } from "./registry";

const BLOCKS = new Set<string>(NODE_TYPES.filter((t) => NODE_REGISTRY[t].endsLine));

/**
 * Plain text of a (validated) body, for search and descriptions: blocks on their own lines. An image's
 * alt text is left out: it describes the picture for a screen reader and reads as noise in a snippet.
 */
export function bodyToText(state: SerializedState): string {
  const out: string[] = [];
  const walk = (n: SerializedNode) => {
    if (n.type === "text" || n.type === "code-highlight") out.push(String(n.text ?? ""));
    else if (n.type === "linebreak") out.push("\n");
    else if (n.type === "tab") out.push("\t");
    else if (n.type === "tablecell") out.push(" ");
    n.children?.forEach(walk);
    if (BLOCKS.has(n.type)) out.push("\n");
  };
  walk(state.root);
  return out
    .join("")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{2,}/g, "\n")
    .trim();
}

/** A one-line summary of a body, for meta descriptions and cards. */
export function excerpt(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? flat.slice(0, max - 1) + "…" : flat;
}
