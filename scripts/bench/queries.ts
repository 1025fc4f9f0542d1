// The fixed mixed query set timed on the synthetic corpora and over HTTP. Every query asks for
// facet counts (the embedded engine always counts them; the baselines are made to).

import type { FacetName } from "../../search/engine";
import { prng } from "./corpus";

export interface TimedQuery {
  q: string;
  filters?: Partial<Record<FacetName, string>>;
  class: "common" | "rare" | "multi-word" | "filtered" | "English" | "typo" | "substring" | "synonym";
}

export const TIMED_QUERIES: TimedQuery[] = [
  // words found in a large share of the documents
  { q: "智能", class: "common" },
  { q: "检测", class: "common" },
  { q: "培训", class: "common" },
  { q: "设备", class: "common" },
  { q: "系统", class: "common" },
  { q: "工艺", class: "common" },
  // words found in a handful
  { q: "六价铬", class: "rare" },
  { q: "兆欧表", class: "rare" },
  { q: "死锁", class: "rare" },
  { q: "响应面", class: "rare" },
  { q: "听音杆", class: "rare" },
  // several words
  { q: "智能 巡检", class: "multi-word" },
  { q: "故障诊断 预测性维护", class: "multi-word" },
  { q: "焊接机器人", class: "multi-word" },
  { q: "数字孪生平台", class: "multi-word" },
  { q: "PLC改造", class: "multi-word" },
  { q: "新员工培训", class: "multi-word" },
  { q: "在线检测系统", class: "multi-word" },
  // filters
  { q: "检测", filters: { industry: "rail-transit" }, class: "filtered" },
  { q: "培训", filters: { type: "need" }, class: "filtered" },
  { q: "焊接", filters: { type: "patent" }, class: "filtered" },
  { q: "智能", filters: { type: "result", kind: "software" }, class: "filtered" },
  { q: "设备", filters: { level: "national" }, class: "filtered" },
  // Latin script
  { q: "digital twin", class: "English" },
  { q: "machine vision", class: "English" },
  { q: "predictive maintenance", class: "English" },
  { q: "SCADA", class: "English" },
  { q: "BIM", class: "English" },
  // typos
  { q: "simulater", class: "typo" },
  { q: "maintenence", class: "typo" },
  { q: "machine vison", class: "typo" },
  // words inside longer words, and synonyms
  { q: "工程", class: "substring" },
  { q: "时刻", class: "substring" },
  { q: "采煤", class: "substring" },
  { q: "模拟", class: "synonym" },
  { q: "城轨", class: "synonym" },
  { q: "变电所", class: "synonym" },
];

/** The same queries as /api/search URLs. */
export function queryUrl(t: TimedQuery): string {
  const p = new URLSearchParams({ q: t.q });
  for (const [k, v] of Object.entries(t.filters ?? {})) p.set(k, v!);
  return `/api/search?${p}`;
}

/**
 * Many different realistic queries, none repeated within a run: every tag and specialty of the
 * seed content, alone, with each industry filter and with each type filter, sorted by relevance
 * and by date — in a fixed shuffled order, so any stretch of the list mixes them all. Used over
 * HTTP to time requests that no cache can answer.
 */
export function distinctQueryUrls(words: string[], industries: string[], count: number): string[] {
  const filters: [string, string][] = [
    ["", ""],
    ...industries.map((i): [string, string] => ["industry", i]),
    ...["studio", "result", "patent", "need"].map((t): [string, string] => ["type", t]),
  ];
  const urls = new Set<string>();
  for (const w of words) {
    for (const [k, v] of filters) {
      for (const sort of ["", "date"]) {
        const p = new URLSearchParams({ q: w });
        if (k) p.set(k, v);
        if (sort) p.set("sort", sort);
        urls.add(`/api/search?${p}`);
      }
    }
  }
  return shuffled([...urls], 20261125).slice(0, count);
}

/** Other queries, for warming a server up: each word with a level filter, which no run asks. */
export function warmupUrls(words: string[], count: number): string[] {
  const urls = words.flatMap((w) => ["national", "provincial", "municipal"].map((level) => `/api/search?${new URLSearchParams({ q: w, level })}`));
  return shuffled(urls, 7).slice(0, count);
}

/** A deterministic Fisher–Yates shuffle. */
function shuffled<T>(list: T[], seed: number): T[] {
  const random = prng(seed);
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
