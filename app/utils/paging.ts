// Paging of the directory lists (/studios, /results, /patents, /needs, /enterprises, /people): the
// page a list shows, clamped to the pages there are (a page past the end shows the last one), and the
// rows to skip and take. A per-page size of Infinity takes every row (the spreadsheet exports).

export interface Paging {
  /** 1-based; anything below 1 is the first page, anything past the end the last */
  page?: number;
  /** rows per page; Infinity for all of them */
  perPage?: number;
}

/** The `page` of a list's query string: a whole number from 1, otherwise the first page (as any unknown filter value is ignored). */
export function pageFrom(params: URLSearchParams): number {
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return Number.isFinite(page) && page > 0 ? page : 1;
}

/** Which page of `total` rows to show, and the rows to skip and take for it (take undefined: all). */
export function pageWindow(total: number, paging: Paging, defaultPerPage: number) {
  const perPage = paging.perPage ?? defaultPerPage;
  const pages = perPage === Infinity ? 1 : Math.max(1, Math.ceil(total / perPage));
  const page = Math.min(Math.max(1, Math.floor(paging.page ?? 1)), pages);
  return perPage === Infinity ? { page, pages, skip: 0, take: undefined } : { page, pages, skip: (page - 1) * perPage, take: perPage };
}

/** One page of an array already in its order (for the lists whose order or filter is not SQL's). */
export function slicePage<T>(rows: readonly T[], w: { skip: number; take: number | undefined }): T[] {
  return w.take === undefined ? [...rows] : rows.slice(w.skip, w.skip + w.take);
}
