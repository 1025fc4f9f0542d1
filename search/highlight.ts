// Snippets and highlighted titles: matches wrapped in <mark>, everything else HTML-escaped.

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]);

function matcher(terms: string[]): RegExp | null {
  const parts = [...new Set(terms.filter((t) => t.trim()))]
    .sort((a, b) => b.length - a.length)
    .map((t) => {
      const e = t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      // Latin words match at word starts only (so "ai" does not light up "maintenance")
      return /^[a-z0-9]/i.test(t) ? `(?<![a-z0-9])${e}` : e;
    });
  return parts.length ? new RegExp(parts.join("|"), "giu") : null;
}

/**
 * What to mark for a query: its words, and the index terms that matched but hold none of them (a
 * synonym, a typo fix). A matched term that holds a query word — 车身焊 for 焊 — marks only the word,
 * so the reader sees what they asked for, not the segmenter's token around it.
 */
export function highlightTerms(words: string[], matched: Iterable<string>): string[] {
  const ws = words.map((w) => w.toLowerCase()).filter(Boolean);
  const extra = [...matched].filter((t) => !ws.some((w) => t.toLowerCase().includes(w)));
  return [...new Set([...words, ...extra])];
}

/** The whole text, escaped, with every match marked. */
export function highlight(text: string, terms: string[]): string {
  const re = matcher(terms);
  if (!re) return escapeHtml(text);
  let out = "";
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (!m[0]) continue;
    out += escapeHtml(text.slice(last, m.index)) + "<mark>" + escapeHtml(m[0]) + "</mark>";
    last = m.index! + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

/** A passage of about `size` characters around the densest run of matches, escaped and marked. */
export function snippet(text: string, terms: string[], size = 110): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const re = matcher(terms);
  const positions = re ? [...flat.matchAll(re)].map((m) => m.index!) : [];
  if (!positions.length) return escapeHtml(flat.length > size ? flat.slice(0, size) + "…" : flat);
  // the window start that covers the most matches
  let best = positions[0],
    bestCount = 0;
  for (let i = 0, j = 0; i < positions.length; i++) {
    while (j < positions.length && positions[j] - positions[i] < size * 0.8) j++;
    if (j - i > bestCount) {
      bestCount = j - i;
      best = positions[i];
    }
  }
  const start = Math.max(0, Math.min(best - Math.floor(size * 0.2), flat.length - size));
  const end = Math.min(flat.length, start + size);
  return (start > 0 ? "…" : "") + highlight(flat.slice(start, end), terms) + (end < flat.length ? "…" : "");
}
