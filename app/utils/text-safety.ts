import { z } from "zod";

// Characters no title, name or list entry may carry: C0/C1 control characters (NUL among them;
// tab, line feed and carriage return are allowed for multi-line fields), the bidirectional
// embeddings, overrides and isolates that make "‮gpj.exe" read as "exe.jpg" (U+202A–U+202E,
// U+2066–U+2069, U+200E/U+200F, U+061C), interlinear annotation marks, a byte-order mark inside
// text, and lone UTF-16 surrogates (not text at all: they cannot be stored as UTF-8).
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF\uFFF9-\uFFFB]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}

export function isSafeText(s: string): boolean {
  return !UNSAFE.test(s) && !LONE_SURROGATE.test(s);
}

/** Form fields: the message is a message key (app/i18n/messages.ts). */
export const CONTROL_CHARS_KEY = "form.controlChars";
/** Content files: import reports are in English, `file: field: message`. */
export const CONTROL_CHARS_TEXT = "must not contain control characters or text-direction overrides (such as U+202E)";

/**
 * A string schema that refuses the characters above: the one helper every form schema and the
 * content front-matter schema build their text fields from.
 */
export function safeString(message: string = CONTROL_CHARS_KEY) {
  return z.string().refine(isSafeText, { message, abort: true });
}
