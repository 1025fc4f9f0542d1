import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { IllustrativeBadge } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { listIndustries } from "~/models/industry.server";
import { PUBLIC_VIEWER } from "~/models/result.server";
import { listStudios } from "~/models/studio.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";
import { FACETS, type FacetName, type SearchResponse } from "../../search/engine";
import { getSearchEngine } from "~/models/search.server";
import { parseSearchParams } from "../utils/search-params";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageMeta(matches, data?.q ? `${data.q}` : "search.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const parsed = parseSearchParams(params);
  const industries = (await listIndustries()).map((i) => ({ key: i.key, nameZh: i.nameZh, nameEn: i.nameEn }));
  if (!parsed.ok) {
    const empty = {
      q: params.get("q")?.slice(0, 200) ?? "",
      error: parsed.error as { message: string; field: string } | null,
      result: null as SearchResponse | null,
      related: [] as Related[],
      industries,
    };
    return data(empty, { status: 400 });
  }
  const engine = getSearchEngine();
  const result = await engine.search(parsed.query);
  let related: Related[] = [];
  if (result.total === 0 && parsed.query.q) {
    // the empty state offers studios near the query: any of its words, or the busiest studios
    const words = parsed.query.q.split(/\s+/).filter(Boolean);
    for (const w of words.length > 1 ? words : [...parsed.query.q].length > 2 ? [parsed.query.q.slice(0, 2)] : []) {
      const r = await engine.search({ q: w, filters: { type: "studio" }, perPage: 4 });
      related = r.hits.map((h) => ({ title: h.title, url: h.url, enterprise: h.enterprise }));
      if (related.length) break;
    }
    if (!related.length) {
      // busiest by the results a visitor sees: the search index holds only those
      const busiest = (await listStudios(PUBLIC_VIEWER, { sort: "results", perPage: 4 })).studios;
      related = busiest.map((s) => ({ title: s.name, url: `/studios/${s.slug}`, enterprise: s.enterprise.name }));
    }
  }
  return data({ q: parsed.query.q, error: null as { message: string; field: string } | null, result: result as SearchResponse | null, related, industries });
}

interface Related {
  title: string;
  url: string;
  enterprise: string | null;
}

export default function SearchRoute() {
  const { q, error, result, related, industries } = useLoaderData<typeof loader>();
  const t = useT();
  const [params] = useSearchParams();
  const label = (facet: FacetName, value: string) => {
    switch (facet) {
      case "type":
        return t(`search.type.${value}` as MessageKey);
      case "industry":
        return (
          industryName(
            industries.find((i) => i.key === value),
            t.locale,
          ) || value
        );
      case "kind":
        return t(`kind.${value}` as MessageKey);
      case "level":
        return t(`level.${value}` as MessageKey);
      default:
        return value;
    }
  };
  const withParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null) next.delete(name);
    else next.set(name, value);
    next.delete("page");
    return `?${next.toString()}`;
  };
  const active = FACETS.filter((f) => params.get(f));
  const page = result?.page ?? 1;
  const pages = result ? Math.ceil(result.total / result.perPage) : 0;

  return (
    <div className="search-page">
      <h1>{q ? t("search.resultsFor", { q }) : t("search.title")}</h1>
      <Form method="get" className="search-form" role="search" aria-label={t("search.label")}>
        <label className="visually-hidden" htmlFor="search-page-q">
          {t("search.label")}
        </label>
        <input id="search-page-q" type="search" name="q" defaultValue={q} maxLength={200} placeholder={t("search.placeholder")} />
        {FACETS.map((f) => params.get(f) && <input key={f} type="hidden" name={f} value={params.get(f) ?? ""} />)}
        <label>
          <span className="visually-hidden">{t("search.sort")}</span>
          <select name="sort" defaultValue={params.get("sort") ?? "relevance"} aria-label={t("search.sort")}>
            <option value="relevance">{t("search.sort.relevance")}</option>
            <option value="date">{t("search.sort.date")}</option>
          </select>
        </label>
        <button type="submit" className="button">
          {t("search.submit")}
        </button>
      </Form>

      {error && (
        <p className="error-message" role="alert">
          {t("search.badParam", { message: error.message })}
        </p>
      )}

      {result && (
        <>
          {active.length > 0 && (
            <div className="chips" aria-label={t("search.activeFilters")}>
              {active.map((f) => (
                <Link key={f} to={withParam(f, null)} className="chip" aria-label={t("search.removeFilter", { label: label(f, params.get(f)!) })}>
                  {t(`search.facet.${f}` as MessageKey)}
                  {t.colon}
                  {label(f, params.get(f)!)} <span aria-hidden="true">×</span>
                </Link>
              ))}
              {active.length > 1 && (
                <Link to={`?${new URLSearchParams(q ? { q } : {}).toString()}`} className="chip clear">
                  {t("search.clearAll")}
                </Link>
              )}
            </div>
          )}
          <p className="count" role="status">
            {t("search.count", { n: result.total })}
          </p>
          <div className="search-layout">
            <aside className="facets" aria-label={t("search.filters")}>
              {FACETS.map((f) => {
                const values = result.facets[f] ?? [];
                if (!values.length) return null;
                const current = params.get(f);
                return (
                  <section key={f} className="facet">
                    <h2>{t(`search.facet.${f}` as MessageKey)}</h2>
                    <ul>
                      {values.slice(0, 12).map((v) => (
                        <li key={v.value}>
                          <Link to={withParam(f, current === v.value ? null : v.value)} aria-current={current === v.value ? "true" : undefined}>
                            {label(f, v.value)}
                          </Link>{" "}
                          <span className="num">{v.count}</span>
                        </li>
                      ))}
                    </ul>
                  </section>
                );
              })}
            </aside>
            <div>
              {result.partial && result.total > 0 && (
                <p className="note" role="note">
                  {(result.fullMatches ?? 0) > 0 ? t("search.partialAfterFull") : t("search.partial")}
                  {(result.missingWords ?? []).length > 0 && <> · {t("search.partialMissing", { words: (result.missingWords ?? []).join(" ") })}</>}
                </p>
              )}
              {result.suggestion && (
                <p className="did-you-mean">
                  {t("search.didYouMean")} <Link to={withParam("q", result.suggestion)}>{result.suggestion}</Link>
                </p>
              )}
              {result.total === 0 ? (
                <div className="empty-state">
                  <p>{t("search.empty", { q })}</p>
                  {active.length > 0 && (
                    <p>
                      {t("search.tryRemove")}{" "}
                      {active.map((f) => (
                        <Link key={f} to={withParam(f, null)} className="chip">
                          {label(f, params.get(f)!)} ×
                        </Link>
                      ))}
                    </p>
                  )}
                  <p className="muted">{t("search.tryTips")}</p>
                  {related.length > 0 && (
                    <>
                      <h2>{t("search.related")}</h2>
                      <ul className="list">
                        {related.map((r) => (
                          <li key={r.url}>
                            <Link to={r.url}>{r.title}</Link> <span className="muted small">{r.enterprise}</span>
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                </div>
              ) : (
                <ol className="hits" aria-label={t("search.hits")} start={(page - 1) * result.perPage + 1}>
                  {result.hits.map((h) => (
                    <li key={h.url} className="hit">
                      <p className="meta-line">
                        <span className={`badge type-${h.type}`}>{t(`search.type.${h.type}` as MessageKey)}</span> <IllustrativeBadge show={h.illustrative} />
                      </p>
                      <h2 className="hit-title">
                        <Link to={h.url} dangerouslySetInnerHTML={{ __html: h.titleHtml }} />
                      </h2>
                      <p className="snippet" dangerouslySetInnerHTML={{ __html: h.snippet }} />
                      <p className="muted small">{[h.studio, h.enterprise].filter(Boolean).join(" · ")}</p>
                      {(h.missingWords ?? []).length > 0 && <p className="muted small hit-missing">{t("search.hitMissing", { words: h.missingWords!.join(" ") })}</p>}
                    </li>
                  ))}
                </ol>
              )}
              {pages > 1 && (
                <nav className="pager" aria-label={t("search.pagination")}>
                  {page > 1 && (
                    <Link to={withParam("page", String(page - 1))} rel="prev">
                      ← {t("search.prev")}
                    </Link>
                  )}
                  {Array.from({ length: pages }, (_, i) => i + 1)
                    .filter((n) => n === 1 || n === pages || Math.abs(n - page) <= 2)
                    .map((n, i, arr) => (
                      <span key={n}>
                        {i > 0 && n - arr[i - 1] > 1 && <span aria-hidden="true">… </span>}
                        {n === page ? (
                          <span aria-current="page" className="current">
                            {n}
                          </span>
                        ) : (
                          <Link to={withParam("page", String(n))} aria-label={t("search.page", { n })}>
                            {n}
                          </Link>
                        )}
                      </span>
                    ))}
                  {page < pages && (
                    <Link to={withParam("page", String(page + 1))} rel="next">
                      {t("search.next")} →
                    </Link>
                  )}
                </nav>
              )}
            </div>
          </div>
        </>
      )}
    </div>
  );
}
