import type { z } from "zod";
import { zh } from "~/i18n/messages";

export type FieldErrors = Record<string, string>;

/**
 * Parses a form with a zod schema shared by the form and its action. On failure it gives one
 * message per field (message keys from app/i18n/messages.ts or plain text) and the values the user
 * typed, so the form can come back with everything still in it.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  form: FormData,
  listFields: string[] = [],
): { ok: true; data: z.output<S>; values: Record<string, string> } | { ok: false; errors: FieldErrors; values: Record<string, string> } {
  const values: Record<string, string> = {};
  const raw: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key === "csrf" || key === "password" || key === "newPassword" || key === "currentPassword" || key === "confirm") {
      raw[key] = form.get(key);
      continue; // passwords never come back to the page
    }
    const all = form.getAll(key).filter((v): v is string => typeof v === "string");
    raw[key] = listFields.includes(key) ? all : all[0];
    values[key] = all.join("\n");
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data, values };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "_form");
    errors[field] ??= inUserLanguage(issue.message, raw[field]);
  }
  return { ok: false, errors, values };
}

/**
 * zod's own messages ("Invalid input: expected string, received undefined") are English and name
 * no field: a field a crafted or broken form left out, or a hidden field it changed, gets ours.
 */
function inUserLanguage(message: string, value: unknown): string {
  if (Object.hasOwn(zh, message)) return message;
  return value === undefined ? "form.required" : "form.invalid";
}
