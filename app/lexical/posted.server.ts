import { bodyToText } from "./text";
import { validateBody } from "./validate";

/**
 * A rich-text body posted by a form: the validated Lexical JSON and its plain text, or the error
 * for the body field (a message key). Every form with a body field goes through this.
 */
export function checkPostedBody(raw: FormDataEntryValue | null): { json: string; text: string } | { error: string } {
  if (typeof raw !== "string" || !raw.trim()) return { error: "form.bodyRequired" };
  const check = validateBody(raw);
  if (!check.ok) return { error: check.key ?? check.message };
  const text = bodyToText(check.state);
  if (!text.trim()) return { error: "form.bodyRequired" };
  return { json: check.json, text };
}
