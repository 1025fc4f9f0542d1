// Each area of the site keeps its interface strings in a file of its own here, as
//   export const zh = { "area.key": "…" };  export const en: Record<keyof typeof zh, string> = { … };
// and is listed once below, so work on different parts of the site never edits the same lines.
// A key must not appear in two areas or in the base catalogue (tests/unit/i18n-areas.test.ts).
import * as search from "./search";

export const AREA_LIST = { search } as const;

export const AREAS_ZH = { ...search.zh };
export const AREAS_EN: Record<keyof typeof AREAS_ZH, string> = { ...search.en };
