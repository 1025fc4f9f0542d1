import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FilterBar, IllustrativeBadge, PageHead, SEP, Tags } from "~/components/ui";
import { NEED_STATUSES } from "~/content/enums";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { listIndustries } from "~/models/industry.server";
import { listNeeds } from "~/models/need.server";
import { pick, pickKey } from "~/utils/http.server";
import { parseList } from "~/utils/json";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "needs.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const [needs, industries] = await Promise.all([
    listNeeds({ status: pick(params, "status", NEED_STATUSES), industry: pickKey(params, "industry") }),
    listIndustries(),
  ]);
  return {
    needs: needs.map((n) => ({
      slug: n.slug, title: n.title, status: n.status, illustrative: n.illustrative, tags: parseList(n.tags),
      enterprise: { slug: n.enterprise.slug, name: n.enterprise.name }, industry: n.industry,
    })),
    industries: industries.map((i) => ({ key: i.key, nameZh: i.nameZh, nameEn: i.nameEn })),
  };
}

export default function NeedsRoute() {
  const { needs, industries } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHead title={t("needs.title")} lead={t("needs.lead")} />
      <FilterBar
        filters={[
          { name: "status", label: "need.status", options: NEED_STATUSES.map((s) => ({ value: s, label: t(`needStatus.${s}` as MessageKey) })) },
          { name: "industry", label: "filter.industry", options: industries.map((i) => ({ value: i.key, label: industryName(i, t.locale) })) },
        ]}
      />
      <p className="count" role="status">{t("needs.count", { n: needs.length })}</p>
      {needs.length === 0 ? <p className="empty">{t("needs.empty")}</p> : (
        <ul className="cards">
          {needs.map((n) => (
            <li key={n.slug} className="card">
              <h2 className="card-title"><Link to={`/needs/${n.slug}`}>{n.title}</Link></h2>
              <p className="meta-line">
                <span className={`badge need-${n.status}`}>{t(`needStatus.${n.status}` as MessageKey)}</span>{" "}
                <IllustrativeBadge show={n.illustrative} />
              </p>
              <p className="muted"><Link to={`/enterprises/${n.enterprise.slug}`}>{n.enterprise.name}</Link>{SEP}{industryName(n.industry, t.locale)}</p>
              <Tags items={n.tags} label={t("need.tags")} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
