import { describe, expect, test } from "vitest";
import { pageHref, pagerNumbers } from "~/components/pager";
import { pageFrom, pageWindow } from "~/utils/paging";

describe("the directory lists' pager", () => {
  test("its links keep every filter of the page and replace only the page", () => {
    const params = new URLSearchParams("industry=rail-transit&level=provincial&sort=founded&page=3");
    expect(pageHref(params, 4)).toBe("?industry=rail-transit&level=provincial&sort=founded&page=4");
    expect(pageHref(params, 1)).toBe("?industry=rail-transit&level=provincial&sort=founded");
    expect(pageHref(new URLSearchParams(`skill=${encodeURIComponent("激光熔覆")}`), 2)).toBe(`?skill=${encodeURIComponent("激光熔覆")}&page=2`);
  });

  test("names the first, the last and two pages either side of the current one, so 417 pages are a few links", () => {
    expect(pagerNumbers(1, 3)).toEqual([1, 2, 3]);
    expect(pagerNumbers(1, 417)).toEqual([1, 2, 3, null, 417]);
    expect(pagerNumbers(200, 417)).toEqual([1, null, 198, 199, 200, 201, 202, null, 417]);
    expect(pagerNumbers(417, 417)).toEqual([1, null, 415, 416, 417]);
  });

  test("a page number that is not a whole number from 1 is the first page, one past the end the last", () => {
    for (const bad of ["0", "-3", "abc", "", "1e999"]) expect(pageFrom(new URLSearchParams({ page: bad }))).toBe(1);
    expect(pageFrom(new URLSearchParams("page=7"))).toBe(7);
    expect(pageWindow(50, { page: 9 }, 24)).toEqual({ page: 3, pages: 3, skip: 48, take: 24 });
    expect(pageWindow(0, { page: 2 }, 24)).toEqual({ page: 1, pages: 1, skip: 0, take: 24 });
    expect(pageWindow(50, { page: 2, perPage: Infinity }, 24)).toEqual({ page: 1, pages: 1, skip: 0, take: undefined });
  });
});
