import { describe, expect, it } from "vitest";
import { AREA_LIST } from "~/i18n/areas";
import { baseZh, en, zh } from "~/i18n/messages";

describe("the message catalogue split into areas", () => {
  it("has no key defined twice, in two areas or in an area and the base catalogue", () => {
    const owner = new Map<string, string>(Object.keys(baseZh).map((k) => [k, "base"]));
    const clashes: string[] = [];
    for (const [area, messages] of Object.entries(AREA_LIST)) {
      for (const key of Object.keys(messages.zh)) {
        const before = owner.get(key);
        if (before) clashes.push(`${key}: ${before} and ${area}`);
        owner.set(key, area);
      }
    }
    expect(clashes).toEqual([]);
  });

  it("gives every area's key in both languages, none empty", () => {
    const missing = Object.keys(zh).filter((k) => !(en as Record<string, string>)[k]?.trim() || !(zh as Record<string, string>)[k]?.trim());
    expect(missing).toEqual([]);
    expect(zh["search.partial"]).toBe("以下结果只包含部分关键词");
    expect(en["search.partial"]).toBe("These results contain only some of your words");
  });
});
