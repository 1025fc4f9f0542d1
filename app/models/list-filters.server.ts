import { NEED_STATUSES, PATENT_KINDS, PATENT_STATUSES, RESULT_KINDS, RESULT_STATUSES } from "~/content/enums";
import { LEVELS, SECTORS } from "~/content/enums";
import { HONOUR_LEVELS } from "~/content/honours";
import { honourChoices } from "./honour.server";
import { pick, pickKey } from "~/utils/http.server";
import { pageFrom } from "~/utils/paging";
import type { PeopleFilter } from "./person.server";
import { STUDIO_SORTS, type StudioFilter } from "./studio.server";

// The filters of the list pages, read from their query strings in one place: the page and its
// spreadsheet export (/export/<list>.xlsx?<the same query>) read the same rows the same way.

export function studioFilterFrom(params: URLSearchParams): StudioFilter {
  return {
    industry: pickKey(params, "industry"),
    level: pick(params, "level", LEVELS),
    sector: pick(params, "sector", SECTORS),
    enterprise: pickKey(params, "enterprise"),
    sort: pick(params, "sort", STUDIO_SORTS),
    page: pageFrom(params),
  };
}

export function resultFilterFrom(params: URLSearchParams) {
  return { kind: pick(params, "kind", RESULT_KINDS), status: pick(params, "status", RESULT_STATUSES), industry: pickKey(params, "industry"), page: pageFrom(params) };
}

export function patentFilterFrom(params: URLSearchParams) {
  return { kind: pick(params, "kind", PATENT_KINDS), status: pick(params, "status", PATENT_STATUSES), page: pageFrom(params) };
}

import { NEED_AGES } from "~/utils/need-ages";

export { NEED_AGES };

export interface NeedListFilter {
  status?: string;
  industry?: string;
  enterprise?: string;
  district?: string;
  mine: boolean;
  /** posted within this many days */
  age?: (typeof NEED_AGES)[number];
  /** coordinators: only needs waiting too long at their step */
  overdue: boolean;
  page: number;
}

export function needFilterFrom(params: URLSearchParams): NeedListFilter {
  return {
    status: pick(params, "status", NEED_STATUSES),
    industry: pickKey(params, "industry"),
    enterprise: pickKey(params, "enterprise"),
    district: params.get("district")?.trim().slice(0, 40) || undefined,
    mine: params.get("mine") === "1",
    age: pick(params, "age", NEED_AGES),
    overdue: params.get("overdue") === "1",
    page: pageFrom(params),
  };
}

/**
 * The people directory's filters. The honour is one of the honours list as site admins keep it
 * (/admin/honours: added honours too, retired ones no more), the choices the page offers.
 */
export async function peopleFilterFrom(params: URLSearchParams): Promise<PeopleFilter> {
  return {
    level: pick(params, "level", HONOUR_LEVELS),
    honour: pick(
      params,
      "honour",
      (await honourChoices()).map((h) => h.key),
    ),
    industry: pickKey(params, "industry"),
    enterprise: pickKey(params, "enterprise"),
    skill: params.get("skill")?.trim().slice(0, 40) || undefined,
    page: pageFrom(params),
  };
}
