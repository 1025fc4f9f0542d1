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

export function synonymsFile(): string {
  // works from source (tsx, vitest) and from the server build (cwd is the project root)
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, "synonyms.yaml"), path.resolve("search/synonyms.yaml")];
  return candidates.find((p) => {
    try {
      readFileSync(p);
      return true;
    } catch {
      return false;
    }
  }) ?? candidates[1];
}

/** word → the other words of its group(s), normalised. */
export function loadSynonyms(file = synonymsFile()): SynonymMap {
  if (cached && file === synonymsFile()) return cached;
  const parsed = SynonymsSchema.safeParse(parse(readFileSync(file, "utf8")));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`${file}: ${i.path.join(".")}: ${i.message}`);
  }
  const map: SynonymMap = new Map();
  for (const group of parsed.data.groups) {
    const words = [...new Set(group.map(normalize))];
    for (const w of words) map.set(w, [...new Set([...(map.get(w) ?? []), ...words.filter((x) => x !== w)])]);
  }
  return (cached = map);
}

/** The groups as Meilisearch expects them: every word → its synonyms. */
export function synonymsForMeilisearch(): Record<string, string[]> {
  return Object.fromEntries(loadSynonyms());
}
