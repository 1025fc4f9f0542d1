import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { normalize } from "./segment";

const SynonymsSchema = z.strictObject({
  groups: z.array(z.array(z.string().trim().min(1)).min(2, "a synonym group needs at least two words")),
});

export type SynonymMap = Map<string, string[]>;

let cached: SynonymMap | null = null;
let cachedGroups: string[][] | null = null;

/**
 * The SearchChange docId that says "the site's synonym groups changed" (app/models/synonym.server.ts):
 * the embedded engine reloads its synonyms when it replays it, the Meilisearch outbox pushes the
 * `synonyms` setting when it delivers it.
 */
export const SYNONYMS_CHANGE = "settings:synonyms";

export function synonymsFile(): string {
  // works from source (tsx, vitest) and from the server build (cwd is the project root)
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, "synonyms.yaml"), path.resolve("search/synonyms.yaml")];
  return (
    candidates.find((p) => {
      try {
        readFileSync(p);
        return true;
      } catch {
        return false;
      }
    }) ?? candidates[1]
  );
}

/** The shipped groups of search/synonyms.yaml, as written there. */
export function shippedSynonymGroups(file = synonymsFile()): string[][] {
  if (cachedGroups && file === synonymsFile()) return cachedGroups;
  const parsed = SynonymsSchema.safeParse(parse(readFileSync(file, "utf8")));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`${file}: ${i.path.join(".")}: ${i.message}`);
  }
  return (cachedGroups = parsed.data.groups);
}

/** word → the other words of its group(s), normalised. */
export function loadSynonyms(file = synonymsFile()): SynonymMap {
  if (cached && file === synonymsFile()) return cached;
  return (cached = synonymMap(shippedSynonymGroups(file)));
}

/** The map of some groups, added to a copy of `base` (the shipped map) when given. */
export function synonymMap(groups: string[][], base?: SynonymMap): SynonymMap {
  const map: SynonymMap = new Map(base);
  for (const group of groups) {
    const words = [...new Set(group.map((w) => normalize(w).trim()).filter(Boolean))];
    for (const w of words) map.set(w, [...new Set([...(map.get(w) ?? []), ...words.filter((x) => x !== w)])]);
  }
  return map;
}

/** The shipped groups and the site's own (from the database) as one map. */
export function withSiteSynonyms(siteGroups: string[][]): SynonymMap {
  return siteGroups.length ? synonymMap(siteGroups, loadSynonyms()) : loadSynonyms();
}

/** The groups as Meilisearch expects them: every word → its synonyms (the site's groups included). */
export function synonymsForMeilisearch(siteGroups: string[][] = []): Record<string, string[]> {
  return Object.fromEntries(withSiteSynonyms(siteGroups));
}

/** The words of a stored SynonymGroup row (a JSON list); anything else counts as no words. */
export function parseStoredWords(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((w): w is string => typeof w === "string") : [];
  } catch {
    return [];
  }
}
