import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Bump when the rules that turn text into terms change (indexTerms below, doc-terms.ts): with the
 * domain dictionary it makes the analyzer version stored beside the index, and `npm start`
 * rebuilds an index that another version built.
 */
const ANALYZER_RULES = 2;

// One segmenter per process: loading the dictionary takes ~200 ms.
let jieba: Jieba | null = null;

export function segmenter(): Jieba {
  if (jieba) return jieba;
  const j = Jieba.withDict(dict);
  const extra = domainDictionary();
  if (extra) j.loadDict(Buffer.from(extra));
  return (jieba = j);
}

let domain: string | null = null;
/** search/dict.txt without its comments: the trades' words jieba's dictionary lacks. */
export function domainDictionary(): string {
  if (domain !== null) return domain;
  // works from source (tsx, vitest, worker threads) and from the server build (cwd is the project root)
  const here = path.dirname(fileURLToPath(import.meta.url));
  let text = "";
  for (const file of [path.join(here, "dict.txt"), path.resolve("search/dict.txt")]) {
    try {
      text = readFileSync(file, "utf8");
      break;
    } catch {
      // the next place
    }
  }
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  for (const l of lines) {
    if (!/^\S+ \d+( [a-z]+)?$/.test(l)) throw new Error(`search/dict.txt: "${l}": a line is a word, a frequency and a part of speech`);
  }
  return (domain = lines.join("\n"));
}

/** The version of the analysis that turns text into index terms: its rules and its dictionary. */
export function analyzerVersion(): string {
  return `${ANALYZER_RULES}-${createHash("sha256").update(domainDictionary()).digest("hex").slice(0, 12)}`;
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
  return segmenter()
    .cut(text, false)
    .filter((w) => w.trim());
}

/** Weight of a character pair found inside a longer word, relative to a whole word. */
export const SUBWORD_WEIGHT = 0.5;

/**
 * Single characters that are grammar rather than content (的, 在, 与 …): they are not terms of
 * their own and are not joined to a neighbour. Queries drop them anyway (query.ts STOPWORDS), and
 * leaving them out keeps about a tenth of the postings out of the index.
 */
export const FUNCTION_CHARS = new Set([..."的了和与及或在是对把被为以等中上下由到将并从向按用后时个每也就都而但其之于此该各又再至经使让给着过地得这那即则如若因所较很更最还只"]);

const enum Kind {
  Skip = 0, // no letter or digit: punctuation, spaces
  CjkWord = 1, // only CJK characters
  Other = 2, // a word with Latin letters, digits, or a mix
}

function kindOf(t: string): Kind {
  let cjk = 0,
    word = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff)) cjk++;
    else if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90)) word++;
    // punctuation: ASCII, general (“” — …) and CJK (。、《》) need no regular expression
    else if (c > 127 && !(c >= 0x2000 && c <= 0x206f) && !(c >= 0x3000 && c <= 0x303f) && WORD.test(t[i])) word++;
  }
  if (cjk === t.length) return Kind.CjkWord;
  return cjk || word ? Kind.Other : Kind.Skip;
}

/**
 * Index terms of a text with their weighted frequency (`boost` per occurrence), added to `into`:
 * jieba's words (precise mode), plus every character pair *inside* a CJK word of three or more
 * characters (工作室 → 工作, 作室; 在建工程 → 在建, 建工, 工程) at half weight, so a two-character
 * query finds words inside longer words. Pairs never cross a word boundary, which is why 新工 is
 * not a term of 创新工作室.
 */
export function indexTerms(text: string, into = new Map<string, number>(), boost = 1): Map<string, number> {
  if (!text) return into;
  const tokens = segmenter().cut(normalize(text.replace(PRIVATE_USE, " ")), false);
  const add = (t: string, w: number) => into.set(t, (into.get(t) ?? 0) + w);
  const half = SUBWORD_WEIGHT * boost;
  let prev = "";
  let prevKind: Kind = Kind.Skip;
  for (let i = 0; i < tokens.length; i++) {
    let w = tokens[i];
    const c0 = w.charCodeAt(0);
    if (c0 === 32 || c0 === 9 || c0 === 10 || c0 === 13 || w.charCodeAt(w.length - 1) === 32) {
      w = w.trim();
      if (!w) {
        prev = "";
        continue;
      }
    }
    const kind = kindOf(w);
    if (kind === Kind.Skip) {
      prev = "";
      continue;
    }
    const single = w.length === 1 && kind === Kind.CjkWord;
    if (!(single && FUNCTION_CHARS.has(w))) {
      add(w, boost);
      if (kind === Kind.CjkWord && w.length >= 3) {
        for (let j = 0; j + 2 <= w.length; j++) add(w.slice(j, j + 2), half);
      }
      // a one-character word is also kept joined to the word right after it (新/员工 → 新员工,
      // 5/号 → 5号), so a short phrase that jieba splits still matches as a phrase, not as two
      // scattered words; grammar characters are not joined (在/公司 gives no 在公司)
      if (prev && (prev.length === 1 || w.length === 1) && prev.length + w.length <= 4 && (prevKind === Kind.CjkWord || kind === Kind.CjkWord || isCjk(prev) || isCjk(w))) {
        const joined = prev + w;
        add(joined, boost);
        // and its character pairs, like a longer word's: 测/温度 → 测温度 → 测温 (the pair inside
        // the word 温度 is already there)
        if (joined.length >= 3 && isCjkWord(joined)) add(prev.length === 1 ? joined.slice(0, 2) : joined.slice(-2), half);
      } else if (prev && (prev.length === 1 || w.length === 1) && prevKind === Kind.CjkWord && kind === Kind.CjkWord) {
        // too long to join (大/数据分析, where the same text alone is cut 大数据/分析): the pair at the
        // seam still is, so the query's pairs (大数 + 数据) find it. Only a lone character's seam:
        // two longer words never give a pair across them (创新|工作室 has no 新工).
        add(prev.slice(-1) + w[0], half);
      }
      prev = w;
      prevKind = kind;
    } else prev = "";
  }
  return into;
}

/** Characters the stored term list uses as separators (documents.server.ts encodeTerms). */
export const PRIVATE_USE = /[\ue000-\uf8ff]/g;

/** Query words in reading order (precise mode), normalised, punctuation dropped. */
export function queryWords(text: string): string[] {
  return cut(normalize(text))
    .map((w) => w.trim())
    .filter((w) => w && WORD.test(w));
}
