import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FilterBar, IllustrativeBadge, PageHead, SEP, Tags } from "~/components/ui";
import { NEED_STATUSES } from "~/content/enums";
import type { MessageKey } from "~/i18n/messages";
import { ExportLinks } from "~/components/export-links";
import { Pager } from "~/components/pager";
import { useT } from "~/i18n/use-t";
import { enterpriseFilterChoices } from "~/models/enterprise.server";
import { listIndustries } from "~/models/industry.server";
import { needFilterFrom } from "~/models/list-filters.server";
import { NEED_AGES } from "~/utils/need-ages";
import { listNeedsPage } from "~/models/need-loop.server";
import { isCoordinator } from "~/utils/auth.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";
import { getUser } from "~/utils/session.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "needs.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await getUser(request);
  const filter = needFilterFrom(new URL(request.url).searchParams);
  const [list, industries, enterprises] = await Promise.all([listNeedsPage(viewer, filter), listIndustries(), enterpriseFilterChoices("needs", filter.enterprise)]);
  const coordinator = isCoordinator(viewer);
  const rows = list.rows.map((n) => ({
    slug: n.slug,
    title: n.title,
    status: n.status,
    illustrative: n.illustrative,
    tags: n.tags,
    district: n.district,
    enterprise: { slug: n.enterprise.slug, name: n.enterprise.name },
    industry: n.industry,
    overdue: n.overdue,
  }));
  return {
    needs: rows,
    total: list.total,
    page: list.page,
    pages: list.pages,
    counts: list.counts,
    signedIn: Boolean(viewer),
    coordinator,
    districts: list.districts,
    industries: industries.map((i) => ({ key: i.key, nameZh: i.nameZh, nameEn: i.nameEn })),
    enterprises,
  };
}

export default function NeedsRoute() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHead title={t("needs.title")} lead={t("needs.lead")}>
        {d.signedIn && (
          <p>
            <Link className="button" to="/needs/new">
              {t("needs.post")}
            </Link>{" "}
            <Link to="/needs?mine=1">{t("needs.mine")}</Link>
            {d.coordinator && (
              <>
                {" · "}
                <Link to="/needs/contacts">{t("contact.queue")}</Link>
                {" · "}
                <Link to="/enquiries">{t("enquiry.listTitle")}</Link>
              </>
            )}
          </p>
        )}
      </PageHead>
      <FilterBar
        filters={[
          { name: "status", label: "need.status", options: NEED_STATUSES.map((s) => ({ value: s, label: `${t(`needStatus.${s}` as MessageKey)} (${d.counts[s] ?? 0})` })) },
          { name: "industry", label: "filter.industry", options: d.industries.map((i) => ({ value: i.key, label: industryName(i, t.locale) })) },
          { name: "district", label: "needForm.district", options: d.districts.map((x) => ({ value: x, label: x })) },
          { name: "enterprise", label: "need.enterprise", options: d.enterprises.map((e) => ({ value: e.slug, label: e.name })) },
          { name: "age", label: "needs.age", options: NEED_AGES.map((a) => ({ value: a, label: t("needs.ageDays", { n: a }) })) },
          ...(d.coordinator ? [{ name: "overdue", label: "needs.overdueOnly" as MessageKey, options: [{ value: "1", label: t("loop.overdue") }] }] : []),
        ]}
      />
      <p className="count" role="status">
        {t("needs.count", { n: d.total })}
      </p>
      <ExportLinks list="needs" />
      {d.needs.length === 0 ? (
        <p className="empty">
          {t("needs.empty")} <Link to="/needs">{t("studios.clear")}</Link>
        </p>
      ) : (
        <ul className="cards">
          {d.needs.map((n) => (
            <li key={n.slug} className="card">
              <h2 className="card-title">
                <Link to={`/needs/${n.slug}`}>{n.title}</Link>
              </h2>
              <p className="meta-line">
                <span className={`badge need-${n.status}`}>{t(`needStatus.${n.status}` as MessageKey)}</span> {n.overdue && <span className="badge warn">{t("loop.overdue")}</span>}{" "}
                <IllustrativeBadge show={n.illustrative} />
              </p>
              <p className="muted">
                <Link to={`/enterprises/${n.enterprise.slug}`}>{n.enterprise.name}</Link>
                {SEP}
                {industryName(n.industry, t.locale)}
                {n.district ? (
                  <>
                    {SEP}
                    {n.district}
                  </>
                ) : null}
              </p>
              <Tags items={n.tags} label={t("need.tags")} />
            </li>
          ))}
        </ul>
      )}
      <Pager page={d.page} pages={d.pages} />
    </>
  );
}
