import { describe, expect, test } from "vitest";
import { MESSAGES } from "~/i18n/messages";
import { provideMessages } from "~/i18n/catalogue";
import { pageMeta } from "~/utils/meta";

provideMessages(MESSAGES);

const matches = (locale: keyof typeof MESSAGES) => [{ id: "root", data: { locale, catalogue: "test" } }];
const titleOf = (meta: ReturnType<typeof pageMeta>) => (meta.find((m) => "title" in m) as { title?: string } | undefined)?.title;

describe("page titles", () => {
  test("a page's title is its name, then the site's name as the header shows it", () => {
    expect(titleOf(pageMeta(matches("zh-CN"), "studios.title"))).toBe(`${MESSAGES["zh-CN"]["studios.title"]} · 劳模工匠创新工作室联盟`);
    expect(titleOf(pageMeta(matches("en"), "徐欣创新工作室"))).toBe("徐欣创新工作室 · Studio Alliance Hub");
  });

  test("the home page, whose heading is the site's name, says the name once", () => {
    expect(titleOf(pageMeta(matches("zh-CN"), "home.title"))).toBe("劳模工匠创新工作室联盟");
    expect(titleOf(pageMeta(matches("en"), "home.title"))).toBe("Model-worker and craftsman innovation studios · Studio Alliance Hub");
  });
});
