import { CodeHighlightNode, CodeNode } from "@lexical/code";
import { createHeadlessEditor } from "@lexical/headless";
import { AutoLinkNode, LinkNode } from "@lexical/link";
import { ListItemNode, ListNode } from "@lexical/list";
import { $convertFromMarkdownString, TRANSFORMERS } from "@lexical/markdown";
import { HeadingNode, QuoteNode } from "@lexical/rich-text";
import type { SerializedState } from "./nodes";
import { validateBody } from "./validate";

const editor = createHeadlessEditor({
  namespace: "content-import",
  nodes: [HeadingNode, QuoteNode, ListNode, ListItemNode, LinkNode, AutoLinkNode, CodeNode, CodeHighlightNode],
  onError: (error) => {
    throw error;
  },
});

/**
 * Markdown from content files becomes the same Lexical JSON the editor saves, and then goes
 * through the same validation: an imported body is never trusted more than a typed one.
 */
export function markdownToLexical(markdown: string): { ok: true; json: string; state: SerializedState } | { ok: false; message: string } {
  if (/<\/?[a-z][^>]*>/i.test(stripCode(markdown))) {
    return { ok: false, message: "raw HTML is not allowed in Markdown bodies" };
  }
  editor.update(() => $convertFromMarkdownString(markdown.trim(), TRANSFORMERS, undefined, false), { discrete: true });
  const check = validateBody(editor.getEditorState().toJSON());
  return check.ok ? check : { ok: false, message: check.message };
}

function stripCode(md: string): string {
  return md.replace(/```[\s\S]*?```/g, "").replace(/`[^`]*`/g, "");
}
