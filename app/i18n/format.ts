// The one function of the catalogue that browsers need: the catalogue itself reaches them as a
// cached script of one language (app/routes/i18n.$file.ts), not in the JavaScript bundle.

/** Fills {name} placeholders; {name|one|other} picks a word by the count in name (English plurals). */
export function format(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template
    .replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g, (m, k: string, one: string, other: string) => (k in vars ? (Number(vars[k]) === 1 ? one : other) : m))
    .replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}
