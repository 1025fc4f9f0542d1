import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FilterBar, IllustrativeBadge, PageHead, SEP, Tags } from "~/components/ui";
import { LEVELS, SECTORS } from "~/content/enums";
import type { MessageKey } from "~/i18n/messages";
import { ExportLinks } from "~/components/export-links";
import { Pager } from "~/components/pager";
import { useT } from "~/i18n/use-t";
import { enterpriseFilterChoices } from "~/models/enterprise.server";
import { listIndustries } from "~/models/industry.server";
import { resultViewer } from "~/models/result.server";
import { studioFilterFrom } from "~/models/list-filters.server";
import { listStudios } from "~/models/studio.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";
import { getUser } from "~/utils/session.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "studios.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const filter = studioFilterFrom(params);
  const [list, industries, enterprises] = await Promise.all([
    listStudios(await resultViewer(await getUser(request)), filter),
    listIndustries(),
    enterpriseFilterChoices("studios", filter.enterprise),
  ]);
  return {
    total: list.total,
    page: list.page,
    pages: list.pages,
    studios: list.studios.map((s) => ({
      slug: s.slug,
      name: s.name,
      level: s.level,
      sector: s.sector,
      illustrative: s.illustrative,
      enterprise: s.enterprise,
      industry: s.industry,
      leader: s.people[0]?.name ?? "",
      specialties: s.specialties.slice(0, 5),
      results: s._count.results,
      patents: s._count.patents,
    })),
    industries: industries.map((i) => ({ key: i.key, nameZh: i.nameZh, nameEn: i.nameEn })),
    enterprises,
  };
}

export default function StudiosRoute() {
  const { studios, total, page, pages, industries, enterprises } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHead title={t("studios.title")} lead={t("studios.lead")}>
        <p>
          <Link to="/apply">{t("apply.nav")} →</Link>
        </p>
      </PageHead>
      <FilterBar
        filters={[
          { name: "industry", label: "filter.industry", options: industries.map((i) => ({ value: i.key, label: industryName(i, t.locale) })) },
          { name: "level", label: "filter.level", options: LEVELS.map((l) => ({ value: l, label: t(`level.${l}` as MessageKey) })) },
          { name: "sector", label: "filter.sector", options: SECTORS.map((s) => ({ value: s, label: t(`sector.${s}` as MessageKey) })) },
          { name: "enterprise", label: "filter.enterprise", options: enterprises.map((e) => ({ value: e.slug, label: e.name })) },
          {
            name: "sort",
            label: "filter.sort",
            allLabel: t("sort.name"),
            options: (["results", "founded", "level"] as const).map((s) => ({ value: s, label: t(`sort.${s}`) })),
          },
        ]}
      />
      <p className="count" role="status">
        {t("studios.count", { n: total })}
      </p>
      <ExportLinks list="studios" />
      {studios.length === 0 ? (
        <p className="empty">
          {t("studios.empty")} <Link to="/studios">{t("studios.clear")}</Link>
        </p>
      ) : (
        <ul className="cards">
          {studios.map((s) => (
            <li key={s.slug} className="card">
              <h2 className="card-title">
                <Link to={`/studios/${s.slug}`}>{s.name}</Link>
              </h2>
              <p className="meta-line">
                <span className={`badge level-${s.level}`}>{t(`level.${s.level}` as MessageKey)}</span>{" "}
                <span className={`badge sector-${s.sector}`}>{t(`sector.${s.sector}` as MessageKey)}</span> <IllustrativeBadge show={s.illustrative} />
              </p>
              <p className="muted">
                <Link to={`/enterprises/${s.enterprise.slug}`}>{s.enterprise.name}</Link>
                {SEP}
                {industryName(s.industry, t.locale)}
              </p>
              <p className="muted">
                {t("studio.leader")}
                {t.colon}
                {s.leader}
              </p>
              <Tags items={s.specialties} label={t("studio.specialties")} />
              <p className="muted small">
                {t("studio.resultsCount", { n: s.results })}
                {SEP}
                {t("studio.patentsCount", { n: s.patents })}
              </p>
            </li>
          ))}
        </ul>
      )}
      <Pager page={page} pages={pages} />
    </>
  );
}
