import { Link, useSearchParams } from "@remix-run/react";
import { useT } from "~/i18n/use-t";

/**
 * The pages a pager names: the first, the last, and two either side of the current one, with null
 * where pages are left out (so a list of 10,000 studios has a pager of a few links, not 400).
 */
export function pagerNumbers(page: number, pages: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 2) out.push(n);
    else if (out[out.length - 1] !== null) out.push(null);
  }
  return out;
}

/** A link to page `n` of the list the query string `params` shows: every filter kept, the page replaced (none for the first). */
export function pageHref(params: URLSearchParams, n: number) {
  const next = new URLSearchParams(params);
  if (n === 1) next.delete("page");
  else next.set("page", String(n));
  return `?${next}`;
}

/** The directory lists' pager: previous, page numbers, next; every link keeps the page's filters. */
export function Pager({ page, pages }: { page: number; pages: number }) {
  const t = useT();
  const [params] = useSearchParams();
  if (pages <= 1) return null;
  const withPage = (n: number) => pageHref(params, n);
  return (
    <nav className="pager" aria-label={t("pager.nav")}>
      {page > 1 && (
        <Link to={withPage(page - 1)} rel="prev">
          ← {t("pager.prev")}
        </Link>
      )}
      {pagerNumbers(page, pages).map((n, i) =>
        n === null ? (
          <span key={`gap-${i}`} className="gap" aria-hidden="true">
            …
          </span>
        ) : n === page ? (
          <span key={n} aria-current="page" className="current">
            {n}
          </span>
        ) : (
          <Link key={n} to={withPage(n)} aria-label={t("pager.page", { n })}>
            {n}
          </Link>
        ),
      )}
      {page < pages && (
        <Link to={withPage(page + 1)} rel="next">
          {t("pager.next")} →
        </Link>
      )}
    </nav>
  );
}
