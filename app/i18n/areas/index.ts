// Each area of the site keeps its interface strings in a file of its own here, as
//   export const zh = { "area.key": "…" };  export const en: Record<keyof typeof zh, string> = { … };
// and is listed once, in AREA_LIST, so work on different parts of the site never edits the same lines.
// A key must not appear in two areas or in the base catalogue (tests/unit/i18n-areas.test.ts).
import * as admin from "./admin";
import * as allianceAdmin from "./alliance-admin";
import * as dashboard from "./dashboard";
import * as enquiries from "./enquiries";
import * as errors from "./errors";
import * as honours from "./honours";
import * as notices from "./notices";
import * as pager from "./pager";
import * as people from "./people";
import * as review from "./review";
import * as search from "./search";
import * as sheets from "./sheets";

export const AREA_LIST = { admin, allianceAdmin, dashboard, enquiries, errors, honours, notices, pager, people, review, search, sheets } as const;

type Area = (typeof AREA_LIST)[keyof typeof AREA_LIST];
/** Every area's keys in one type: the intersection of the areas' zh catalogues. */
type AllOf<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type AreasZh = AllOf<Area["zh"]>;

export const AREAS_ZH = Object.assign({}, ...Object.values(AREA_LIST).map((a) => a.zh)) as AreasZh;
export const AREAS_EN = Object.assign({}, ...Object.values(AREA_LIST).map((a) => a.en)) as Record<keyof AreasZh, string>;
