import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FilterBar, IllustrativeBadge, PageHead, SEP, Tags } from "~/components/ui";
import { HONOUR_LEVELS, honourName } from "~/content/honours";
import { honourChoices } from "~/models/honour.server";
import type { MessageKey } from "~/i18n/messages";
import { ExportLinks } from "~/components/export-links";
import { Pager } from "~/components/pager";
import { useT } from "~/i18n/use-t";
import { listIndustries } from "~/models/industry.server";
import { listPeople, peopleFacets } from "~/models/person.server";
import { peopleFilterFrom } from "~/models/list-filters.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "people.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const [honours, filter] = await Promise.all([honourChoices(), peopleFilterFrom(params)]);
  const [list, facets, industries] = await Promise.all([listPeople(filter), peopleFacets(), listIndustries()]);
  return {
    total: list.total,
    page: list.page,
    pages: list.pages,
    levelCounts: list.levelCounts,
    people: list.people.map((p) => ({
      slug: p.slug,
      name: p.name,
      role: p.role,
      level: p.level,
      illustrative: p.studio.illustrative,
      studio: { slug: p.studio.slug, name: p.studio.name },
      enterprise: p.studio.enterprise,
      honours: p.honourLinks.map((h) => h.text),
      skills: p.skills.slice(0, 5),
    })),
    skills: facets.skills,
    enterprises: facets.enterprises,
    industries: industries.map((i) => ({ key: i.key, nameZh: i.nameZh, nameEn: i.nameEn })),
    honours: honours.map((h) => ({ key: h.key, nameZh: h.nameZh, nameEn: h.nameEn })),
  };
}

export default function PeopleRoute() {
  const { people, total, page, pages, levelCounts, skills, enterprises, industries, honours } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHead title={t("people.title")} lead={t("people.lead")} />
      <FilterBar
        filters={[
          {
            name: "level",
            label: "people.filterLevel",
            options: HONOUR_LEVELS.map((l) => ({ value: l, label: t("people.levelOption", { level: t(`level.${l}` as MessageKey), n: levelCounts[l] }) })),
          },
          { name: "honour", label: "people.filterHonour", options: honours.map((h) => ({ value: h.key, label: honourName(h, t.locale) })) },
          { name: "industry", label: "filter.industry", options: industries.map((i) => ({ value: i.key, label: industryName(i, t.locale) })) },
          { name: "enterprise", label: "filter.enterprise", options: enterprises.map((e) => ({ value: e.slug, label: e.name })) },
          { name: "skill", label: "people.filterSkill", options: skills.map((s) => ({ value: s.value, label: `${s.value} (${s.count})` })) },
        ]}
      />
      <p className="count" role="status">
        {t("people.count", { n: total })}
      </p>
      <ExportLinks list="people" />
      {people.length === 0 ? (
        <p className="empty">
          {t("people.empty")} <Link to="/people">{t("studios.clear")}</Link>
        </p>
      ) : (
        <ul className="cards">
          {people.map((p) => (
            <li key={p.slug} className="card">
              <h2 className="card-title">
                <Link to={`/people/${p.slug}`}>{p.name}</Link>
              </h2>
              <p className="meta-line">
                {p.level && <span className={`badge level-${p.level}`}>{t(`level.${p.level}` as MessageKey)}</span>}{" "}
                <span className="badge">{t(`people.role.${p.role === "leader" ? "leader" : "member"}`)}</span> <IllustrativeBadge show={p.illustrative} />
              </p>
              <p className="muted">
                <Link to={`/studios/${p.studio.slug}`}>{p.studio.name}</Link>
                {SEP}
                {p.enterprise.name}
              </p>
              <Tags items={p.honours} label={t("people.honours")} />
              <Tags items={p.skills} label={t("people.skills")} />
            </li>
          ))}
        </ul>
      )}
      <Pager page={page} pages={pages} />
    </>
  );
}
