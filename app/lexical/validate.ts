import { hasLoneSurrogate } from "~/utils/text-safety";
import { LIMITS, isSafeImageSrc, isSafeUrl, type SerializedNode, type SerializedState } from "./nodes";
import { NODE_REGISTRY, isNodeType } from "./registry";

export type BodyCheck =
  { ok: true; state: SerializedState; json: string } | { ok: false; message: string; path?: string; /** a message key for forms, where there is one */ key?: string };

const HEADING_TAGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);

/**
 * Validates a serialized Lexical editor state from an untrusted source (a form, a content file).
 * Returns a normalized JSON string holding only the node registry's types and safe attributes.
 */
export function validateBody(input: unknown): BodyCheck {
  let value: unknown = input;
  if (typeof input === "string") {
    if (Buffer.byteLength(input, "utf8") > LIMITS.maxBytes) {
      return { ok: false, message: `body is larger than ${LIMITS.maxBytes / 1024} KB` };
    }
    try {
      value = JSON.parse(input);
    } catch {
      return { ok: false, message: "body is not well-formed JSON" };
    }
  }
  if (!isObject(value) || !isObject(value.root) || value.root.type !== "root") {
    return { ok: false, message: "body must be a Lexical editor state with a root node" };
  }
  let count = 0;
  let textLength = 0;
  const fail = (message: string, path: string): Failure => ({ ok: false, message, path });

  function clean(node: unknown, depth: number, path: string): SerializedNode | Failure {
    if (depth > LIMITS.maxDepth) return fail(`body is nested deeper than ${LIMITS.maxDepth} levels`, path);
    if (++count > LIMITS.maxNodes) return fail(`body has more than ${LIMITS.maxNodes} nodes`, path);
    if (!isObject(node) || typeof node.type !== "string") return fail("node without a type", path);
    const type = node.type;
    if (!isNodeType(type)) return fail(`node type "${type.slice(0, 40)}" is not allowed`, path);
    const out: SerializedNode = { type, version: 1 };
    switch (type) {
      case "text":
      case "code-highlight": {
        if (typeof node.text !== "string") return fail("text node without text", path);
        // JSON.parse accepts "\ud800"; such a string is not text and cannot be stored as UTF-8
        if (hasLoneSurrogate(node.text)) return { ...fail("text contains an unpaired UTF-16 surrogate", path), key: "form.body.loneSurrogate" };
        textLength += node.text.length;
        if (textLength > LIMITS.maxTextLength) return fail(`body text is longer than ${LIMITS.maxTextLength} characters`, path);
        out.text = node.text;
        // a bit set: a whole number (-0 and 1.5 are not formats)
        out.format = Number.isInteger(node.format) && (node.format as number) >= 0 && (node.format as number) < 2048 ? (node.format as number) | 0 : 0;
        out.detail = 0;
        out.mode = "normal";
        out.style = "";
        return out;
      }
      case "image": {
        if (!isSafeImageSrc(node.src)) return fail("image source must be an uploaded file", path);
        out.src = node.src;
        out.altText = typeof node.altText === "string" ? node.altText.slice(0, 300) : "";
        if (typeof node.width === "number") out.width = Math.max(0, Math.min(4000, Math.round(node.width)));
        if (typeof node.height === "number") out.height = Math.max(0, Math.min(4000, Math.round(node.height)));
        return out;
      }
    }
    if (NODE_REGISTRY[type].kind === "leaf") return out; // linebreak, tab: nothing but the type
    if (!Array.isArray(node.children)) return fail(`${type} node without children`, path);
    if (type === "root" && depth !== 0) return fail("root node inside the body", path);
    if (type !== "root" && depth === 0) return fail("body must start with a root node", path);
    out.direction = node.direction === "rtl" ? "rtl" : "ltr";
    out.format = typeof node.format === "string" && ["left", "center", "right", "justify", ""].includes(node.format) ? node.format : "";
    out.indent = typeof node.indent === "number" ? Math.max(0, Math.min(10, Math.floor(node.indent))) : 0;
    switch (type) {
      case "heading":
        if (typeof node.tag !== "string" || !HEADING_TAGS.has(node.tag)) return fail("heading tag must be h1–h6", path);
        out.tag = node.tag;
        break;
      case "list":
        if (!["bullet", "number", "check"].includes(String(node.listType))) return fail("list type must be bullet, number or check", path);
        out.listType = node.listType;
        out.tag = node.listType === "number" ? "ol" : "ul";
        out.start = typeof node.start === "number" ? Math.max(1, Math.floor(node.start)) : 1;
        break;
      case "listitem":
        out.value = typeof node.value === "number" ? Math.floor(node.value) : 1;
        if (typeof node.checked === "boolean") out.checked = node.checked;
        break;
      case "link":
      case "autolink":
        if (!isSafeUrl(node.url)) return fail("link address must start with http://, https://, mailto: or /", path);
        out.url = String(node.url).trim();
        if (typeof node.title === "string") out.title = node.title.slice(0, 300);
        break;
      case "code":
        out.language = typeof node.language === "string" ? node.language.replace(/[^a-z0-9+#-]/gi, "").slice(0, 20) : "";
        break;
      case "tablecell":
        out.headerState = typeof node.headerState === "number" ? node.headerState & 3 : 0;
        out.colSpan = typeof node.colSpan === "number" ? Math.max(1, Math.min(20, Math.floor(node.colSpan))) : 1;
        out.rowSpan = typeof node.rowSpan === "number" ? Math.max(1, Math.min(50, Math.floor(node.rowSpan))) : 1;
        break;
    }
    const children: SerializedNode[] = [];
    for (let i = 0; i < node.children.length; i++) {
      const c = clean(node.children[i], depth + 1, `${path}.children[${i}]`);
      if (isFailure(c)) return c;
      children.push(c);
    }
    out.children = children;
    return out;
  }

  const root = clean(value.root, 0, "root");
  if (isFailure(root)) return root;
  const state = { root };
  return { ok: true, state, json: JSON.stringify(state) };
}

type Failure = Extract<BodyCheck, { ok: false }>;

function isFailure(v: SerializedNode | Failure): v is Failure {
  return (v as Failure).ok === false;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
