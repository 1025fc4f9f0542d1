// SearchDoc.terms, packed: a marker character, then each term followed by one character from the
// private use area that carries its weight in hundredths and whether the term is in the title:
// U+E000 + min(weight × 100, 3199) + (in title ? 3200 : 0). Weights stop at 31.99 (BM25 saturates
// long before). Terms never hold such characters (indexTerms blanks them).
//
// Compared with the JSON array used before (`["term", 1.5, …]`, which still loads), this is about
// 60% shorter, and the engine reads it in place, without a JSON parser or a Map per document:
// those were most of the index load time. The title flag lets the engine look for the whole query
// in a title only where every query word is a title word.

export const WEIGHT_BASE = 0xe000;
/** first character of the current format (U+F8FF is never a weight) */
export const FORMAT_MARK = 0xf8ff;
export const WEIGHT_MAX = 0xf8fe;
/** added to a weight when the term is in the title */
export const TITLE = 3200;
const MAX_HUNDREDTHS = TITLE - 1;

export function encodeTerms(terms: Map<string, number>, titleTerms?: Set<string>): string {
  let out = String.fromCharCode(FORMAT_MARK);
  for (const [t, w] of terms) {
    const h = Math.max(1, Math.min(MAX_HUNDREDTHS, Math.round(w * 100)));
    out += t + String.fromCharCode(WEIGHT_BASE + h + (titleTerms?.has(t) ? TITLE : 0));
  }
  return out;
}

/**
 * Weight character → [hundredths, in title]. In the first packed form (no mark, no title flag,
 * weights up to 63.99) every term counts as possibly in the title.
 */
export function weightOf(c: number, marked: boolean): [number, boolean] {
  const v = c - WEIGHT_BASE;
  if (!marked) return [v, true];
  return v >= TITLE ? [v - TITLE, true] : [v, false];
}

/** Calls `each(term, hundredths, inTitle)` for every stored term, in any of the formats. */
export function forEachTerm(stored: string, each: (term: string, hundredths: number, inTitle: boolean) => void): void {
  if (stored.charCodeAt(0) === 91 /* [ */) {
    const flat = JSON.parse(stored) as (string | number)[];
    for (let i = 0; i + 1 < flat.length; i += 2) each(flat[i] as string, Math.round((flat[i + 1] as number) * 100), true);
    return;
  }
  const marked = stored.charCodeAt(0) === FORMAT_MARK;
  let start = marked ? 1 : 0;
  for (let i = start; i < stored.length; i++) {
    const c = stored.charCodeAt(i);
    if (c >= WEIGHT_BASE && c <= WEIGHT_MAX) {
      const [h, title] = weightOf(c, marked);
      each(stored.slice(start, i), h, title);
      start = i + 1;
    }
  }
}

export function decodeTerms(stored: string): Map<string, number> {
  const m = new Map<string, number>();
  forEachTerm(stored, (t, h) => m.set(t, h / 100));
  return m;
}
