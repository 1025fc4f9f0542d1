import { describe, expect, test } from "vitest";
import { fromAcceptLanguage, getLocale, localeCookie, translator } from "~/i18n/locale.server";

describe("fromAcceptLanguage", () => {
  test.each([
    ["zh-CN,zh;q=0.9", "zh-CN"],
    ["zh-TW", "zh-CN"],
    ["zh-Hant-HK,zh;q=0.8", "zh-CN"],
    ["en-US", "en"],
    ["EN-gb", "en"],
    ["en-US;q=0.9, zh;q=0.8", "en"],
    ["zh;q=0.8, en-US;q=0.9", "en"],
    ["en;q=0.5, zh-CN", "zh-CN"],
    ["fr-FR, de;q=0.9, en;q=0.3", "en"],
    ["fr-FR, de;q=0.9", "zh-CN"],
    ["en;q=0, zh;q=0", "zh-CN"],
    ["en;q=0, fr", "zh-CN"],
    ["*", "zh-CN"],
  ])("%j → %s", (header, locale) => {
    expect(fromAcceptLanguage(header)).toBe(locale);
  });

  test.each([[""], [null], [";;;,,,"], ["q=0.9"], ["🙂;q=1, 12345, -"], ["\u0000\uFFFF"], ["x".repeat(10_000)]])("garbage %j falls back to Chinese", (header) => {
    expect(fromAcceptLanguage(header as string | null)).toBe("zh-CN");
  });

  test("the first of equally weighted languages wins", () => {
    expect(fromAcceptLanguage("en, zh")).toBe("en");
    expect(fromAcceptLanguage("zh, en")).toBe("zh-CN");
  });
});

describe("getLocale", () => {
  const request = (headers: Record<string, string>) => new Request("http://localhost/studios", { headers });
  const cookieFor = async (value: string) => (await localeCookie.serialize(value)).split(";")[0];

  test("without a cookie, the browser's preference decides", async () => {
    expect(await getLocale(request({ "Accept-Language": "en-US,en;q=0.9" }))).toBe("en");
    expect(await getLocale(request({}))).toBe("zh-CN");
  });

  test("the lang cookie wins over Accept-Language, both ways", async () => {
    expect(await getLocale(request({ Cookie: await cookieFor("en"), "Accept-Language": "zh-CN,zh;q=0.9" }))).toBe("en");
    expect(await getLocale(request({ Cookie: await cookieFor("zh-CN"), "Accept-Language": "en-US" }))).toBe("zh-CN");
  });

  test("the lang cookie is found among other cookies", async () => {
    expect(await getLocale(request({ Cookie: `theme=dark; ${await cookieFor("en")}; __session=abc`, "Accept-Language": "zh" }))).toBe("en");
  });

  test("a cookie with an unknown or forged value is ignored", async () => {
    expect(await getLocale(request({ Cookie: await cookieFor("fr"), "Accept-Language": "en" }))).toBe("en");
    expect(await getLocale(request({ Cookie: "lang=%%%not-base64", "Accept-Language": "en" }))).toBe("en");
    expect(await getLocale(request({ Cookie: "lang=en", "Accept-Language": "zh" }))).toBe("zh-CN");
  });
});

describe("translator", () => {
  test("gives the interface in the chosen language", () => {
    expect(translator("zh-CN")("nav.studios")).toBe("工作室");
    expect(translator("en")("nav.studios")).not.toBe("工作室");
    expect(translator("en")("nav.studios")).toMatch(/studios/i);
  });
});
