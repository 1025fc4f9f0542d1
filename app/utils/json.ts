/** Lists are stored as JSON text (SQLite has no arrays); these read them back defensively. */
export function parseList(value: string | null | undefined): string[] {
  if (!value) return [];
  try {
    const v = JSON.parse(value);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export function toList(value: readonly string[] | undefined): string {
  return JSON.stringify(value ?? []);
}

/** `row` with the named JSON list columns decoded to arrays. */
export type WithLists<T, K extends keyof T> = Omit<T, K> & { [P in K]: string[] };

/**
 * Decodes a row's JSON list columns once, in the model that reads it, so routes get arrays:
 * `withLists(studio, STUDIO_LISTS)`.
 */
export function withLists<T extends object, K extends keyof T>(row: T, keys: readonly K[]): WithLists<T, K> {
  const out = { ...row } as Record<PropertyKey, unknown>;
  for (const k of keys) out[k as PropertyKey] = parseList(row[k] as string | null | undefined);
  return out as WithLists<T, K>;
}

// The JSON list columns of each model (prisma/schema.prisma)
export const STUDIO_LISTS = ["specialties", "honours", "skillNeeds"] as const;
export const RESULT_LISTS = ["tags", "benefits", "adopters", "awards"] as const;
export const NEED_LISTS = ["tags"] as const;
export const PERSON_LISTS = ["skills", "honours"] as const;
export const ALLIANCE_LISTS = ["industries"] as const;
