import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FilterBar, IllustrativeBadge, PageHead } from "~/components/ui";
import { PATENT_KINDS, PATENT_STATUSES } from "~/content/enums";
import type { MessageKey } from "~/i18n/messages";
import { ExportLinks } from "~/components/export-links";
import { Pager } from "~/components/pager";
import { useT } from "~/i18n/use-t";
import { listPatents } from "~/models/patent.server";
import { resultViewer } from "~/models/result.server";
import { getUser } from "~/utils/session.server";
import { patentFilterFrom } from "~/models/list-filters.server";
import { pageMeta } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "patents.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const list = await listPatents(await resultViewer(await getUser(request)), patentFilterFrom(params));
  return {
    total: list.total,
    page: list.page,
    pages: list.pages,
    patents: list.patents.map((p) => ({
      slug: p.slug,
      number: p.number,
      title: p.title,
      kind: p.kind,
      status: p.status,
      filed: p.filedOn,
      granted: p.grantedOn,
      illustrative: p.illustrative,
      studio: { slug: p.studio.slug, name: p.studio.name },
      enterprise: p.studio.enterprise.name,
    })),
  };
}

export default function PatentsRoute() {
  const { patents, total, page, pages } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHead title={t("patents.title")} lead={t("patents.lead")} />
      <FilterBar
        filters={[
          { name: "kind", label: "patent.kind", options: PATENT_KINDS.map((k) => ({ value: k, label: t(`patentKind.${k}` as MessageKey) })) },
          { name: "status", label: "patent.status", options: PATENT_STATUSES.map((s) => ({ value: s, label: t(`patentStatus.${s}` as MessageKey) })) },
        ]}
      />
      <p className="count" role="status">
        {t("patents.count", { n: total })}
      </p>
      <ExportLinks list="patents" />
      {patents.length === 0 ? (
        <p className="empty">
          {t("patents.empty")} <Link to="/patents">{t("studios.clear")}</Link>
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data stack-on-phone">
            <thead>
              <tr>
                <th scope="col">{t("patent.number")}</th>
                <th scope="col">{t("patents.title")}</th>
                <th scope="col">{t("patent.kind")}</th>
                <th scope="col">{t("patent.status")}</th>
                <th scope="col">{t("patent.studio")}</th>
                <th scope="col">{t("patent.filed")}</th>
              </tr>
            </thead>
            <tbody>
              {patents.map((p) => (
                <tr key={p.slug}>
                  <td className="mono" data-label={t("patent.number")}>
                    {p.number}
                  </td>
                  <td data-label={t("patents.title")}>
                    <Link to={`/patents/${p.slug}`}>{p.title}</Link> <IllustrativeBadge show={p.illustrative} />
                  </td>
                  <td data-label={t("patent.kind")}>{t(`patentKind.${p.kind}` as MessageKey)}</td>
                  <td data-label={t("patent.status")}>{t(`patentStatus.${p.status}` as MessageKey)}</td>
                  <td data-label={t("patent.studio")}>
                    <Link to={`/studios/${p.studio.slug}`}>{p.studio.name}</Link>
                  </td>
                  <td data-label={t("patent.filed")}>{p.filed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={pages} />
    </>
  );
}
