import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";

// One segmenter per process: loading the dictionary takes ~200 ms.
let jieba: Jieba | null = null;

export function segmenter(): Jieba {
  return (jieba ??= Jieba.withDict(dict));
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const CJK_ONLY = /^[\u3400-\u9fff\uf900-\ufaff]+$/;
const WORD = /[\p{L}\p{N}]/u;

export const isCjk = (s: string) => CJK.test(s);
export const isCjkWord = (s: string) => CJK_ONLY.test(s);

/** Full-width to half-width, case-folded, accents kept: the same normalisation for index and query. */
export function normalize(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

/** Words of a text as jieba cuts them for reading (precise mode). */
export function cut(text: string): string[] {
  return segmenter().cut(text, false).filter((w) => w.trim());
}

/** Weight of a character pair found inside a longer word, relative to a whole word. */
export const SUBWORD_WEIGHT = 0.5;

/**
 * Index terms of a text with their weighted frequency: jieba's words (precise mode), plus every
 * character pair *inside* a CJK word of three or more characters (工作室 → 工作, 作室; 在建工程 →
 * 在建, 建工, 工程) at half weight, so a two-character query finds words inside longer words.
 * Pairs never cross a word boundary, which is why 新工 is not a term of 创新工作室.
 */
export function indexTerms(text: string, into = new Map<string, number>()): Map<string, number> {
  const words = segmenter()
    .cut(normalize(text), false)
    .map((w) => w.trim())
    .filter((w) => w && WORD.test(w));
  const add = (t: string, w: number) => into.set(t, (into.get(t) ?? 0) + w);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    add(w, 1);
    if (w.length >= 3 && isCjkWord(w)) {
      for (let j = 0; j + 2 <= w.length; j++) add(w.slice(j, j + 2), SUBWORD_WEIGHT);
    }
    // a one-character word is also kept joined to its neighbour (新/员工 → 新员工, 5/号 → 5号),
    // so a short phrase that jieba splits still matches as a phrase, not as two scattered words
    const next = words[i + 1];
    if (next && (w.length === 1 || next.length === 1) && w.length + next.length <= 4 && (isCjk(w) || isCjk(next))) {
      add(w + next, 1);
    }
  }
  return into;
}

/** Query words in reading order (precise mode), normalised, punctuation dropped. */
export function queryWords(text: string): string[] {
  return cut(normalize(text))
    .map((w) => w.trim())
    .filter((w) => w && WORD.test(w));
}
