// search/synonyms.yaml is read at start-up; a mistake in it must stop the server with the file and
// the group named, not turn into missing synonyms. Stored SynonymGroup rows that are not a JSON list
// of words count as no words rather than breaking every search.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { loadSynonyms, parseStoredWords, shippedSynonymGroups } from "../../search/synonyms";

const dir = mkdtempSync(path.join(tmpdir(), "synonyms-"));
function file(name: string, text: string) {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe("the synonyms file", () => {
  test("a group of one word is refused, naming the file and the group", () => {
    const bad = file("bad.yaml", "groups:\n  - [仿真, 模拟]\n  - [焊接]\n");
    expect(() => shippedSynonymGroups(bad)).toThrow(`${bad}: groups.1: a synonym group needs at least two words`);
    const unknownKey = file("unknown.yaml", "groups: []\nextra: 1\n");
    expect(() => shippedSynonymGroups(unknownKey)).toThrow(unknownKey);
  });

  test("another file's groups map every word to the others of its groups", () => {
    const own = file("own.yaml", "groups:\n  - [仿真, 模拟, Simulation]\n  - [模拟, 虚拟]\n");
    const map = loadSynonyms(own);
    expect(map.get("仿真")).toEqual(["模拟", "simulation"]);
    expect(map.get("模拟")).toEqual(["仿真", "simulation", "虚拟"]);
    expect(map.get("虚拟")).toEqual(["模拟"]);
  });

  test("a stored group that is not a JSON list of words has no words", () => {
    expect(parseStoredWords('["巡检", 3, "点检"]')).toEqual(["巡检", "点检"]);
    expect(parseStoredWords('{"words": ["巡检"]}')).toEqual([]);
    expect(parseStoredWords("巡检, 点检")).toEqual([]);
  });
});
