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
