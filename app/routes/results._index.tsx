import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FilterBar, IllustrativeBadge, PageHead, SEP } from "~/components/ui";
import { RESULT_KINDS, RESULT_STATUSES } from "~/content/enums";
import type { MessageKey } from "~/i18n/messages";
import { ExportLinks } from "~/components/export-links";
import { Pager } from "~/components/pager";
import { useT } from "~/i18n/use-t";
import { listIndustries } from "~/models/industry.server";
import { resultFilterFrom } from "~/models/list-filters.server";
import { listResults, resultViewer } from "~/models/result.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";
import { getUser } from "~/utils/session.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "results.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const [list, industries] = await Promise.all([listResults(await resultViewer(await getUser(request)), resultFilterFrom(params)), listIndustries()]);
  return {
    total: list.total,
    page: list.page,
    pages: list.pages,
    results: list.results.map((r) => ({
      slug: r.slug,
      title: r.title,
      kind: r.kind,
      status: r.status,
      year: r.year,
      illustrative: r.illustrative,
      benefit: r.benefits[0] ?? "",
      industry: r.industry,
      studio: { slug: r.studio.slug, name: r.studio.name },
      enterprise: r.studio.enterprise.name,
    })),
    industries: industries.map((i) => ({ key: i.key, nameZh: i.nameZh, nameEn: i.nameEn })),
  };
}

export default function ResultsRoute() {
  const { results, total, page, pages, industries } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHead title={t("results.title")} lead={t("results.lead")} />
      <FilterBar
        filters={[
          { name: "industry", label: "filter.industry", options: industries.map((i) => ({ value: i.key, label: industryName(i, t.locale) })) },
          { name: "kind", label: "filter.kind", options: RESULT_KINDS.map((k) => ({ value: k, label: t(`kind.${k}` as MessageKey) })) },
          { name: "status", label: "filter.status", options: RESULT_STATUSES.map((s) => ({ value: s, label: t(`resultStatus.${s}` as MessageKey) })) },
        ]}
      />
      <p className="count" role="status">
        {t("results.count", { n: total })}
      </p>
      <ExportLinks list="results" />
      {results.length === 0 ? (
        <p className="empty">
          {t("results.empty")} <Link to="/results">{t("studios.clear")}</Link>
        </p>
      ) : (
        <ul className="cards">
          {results.map((r) => (
            <li key={r.slug} className="card">
              <h2 className="card-title">
                <Link to={`/results/${r.slug}`}>{r.title}</Link>
              </h2>
              <p className="meta-line">
                <span className="badge">{t(`kind.${r.kind}` as MessageKey)}</span> <span className={`badge status-${r.status}`}>{t(`resultStatus.${r.status}` as MessageKey)}</span>{" "}
                <IllustrativeBadge show={r.illustrative} />
              </p>
              {r.benefit && <p className="benefit">{r.benefit}</p>}
              <p className="muted small">
                <Link to={`/studios/${r.studio.slug}`}>{r.studio.name}</Link>
                {SEP}
                {r.enterprise}
                {SEP}
                {industryName(r.industry, t.locale)}
                {SEP}
                {r.year}
              </p>
            </li>
          ))}
        </ul>
      )}
      <Pager page={page} pages={pages} />
    </>
  );
}
