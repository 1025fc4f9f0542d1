// Limits and safe-attribute checks for bodies. The node types a body may contain are the node
// registry's (registry.ts); anything else is refused: no raw HTML from users ever reaches a page.

export const LIMITS = {
  /** serialized size of one body */
  maxBytes: 512 * 1024,
  maxDepth: 24,
  maxNodes: 20_000,
  maxTextLength: 100_000,
};

export interface SerializedNode {
  type: string;
  children?: SerializedNode[];
  [key: string]: unknown;
}

export interface SerializedState {
  root: SerializedNode;
}

/** Text format bit flags, as Lexical serializes them. */
export const FORMAT = {
  bold: 1,
  italic: 2,
  strikethrough: 4,
  underline: 8,
  code: 16,
  subscript: 32,
  superscript: 64,
  highlight: 128,
} as const;

// "/\host" counts as "//host" in browsers, so neither is a same-site path
const SAFE_URL = /^(https?:\/\/|mailto:|\/(?![\/\\])|#)/i;

/** http(s), mailto, same-site paths and anchors only: javascript:, data: and friends are not links. */
export function isSafeUrl(url: unknown): url is string {
  if (typeof url !== "string" || url.length > 2048) return false;
  // browsers ignore control characters and whitespace inside a scheme ("java\tscript:")
  const cleaned = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  return SAFE_URL.test(cleaned) && cleaned === url.trim();
}

/** Images are only ever our own uploads. */
export function isSafeImageSrc(src: unknown): src is string {
  return typeof src === "string" && /^\/uploads\/[A-Za-z0-9._-]+$/.test(src);
}
