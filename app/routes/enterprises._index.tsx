import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Pager } from "~/components/pager";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { enterpriseDirectory } from "~/models/enterprise.server";
import { pageMeta } from "~/utils/meta";
import { pageFrom } from "~/utils/paging";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "enterprises.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const list = await enterpriseDirectory({ page: pageFrom(new URL(request.url).searchParams) });
  return {
    total: list.total,
    page: list.page,
    pages: list.pages,
    enterprises: list.enterprises.map((e) => ({ slug: e.slug, name: e.name, studios: e._count.studios, needs: e._count.needs })),
  };
}

export default function EnterprisesRoute() {
  const { enterprises, total, page, pages } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHead title={t("enterprises.title")} lead={t("enterprises.lead")} />
      <p className="count" role="status">
        {t("enterprises.count", { n: total })}
      </p>
      <ul className="cards compact">
        {enterprises.map((e) => (
          <li key={e.slug} className="card">
            <h2 className="card-title">
              <Link to={`/enterprises/${e.slug}`}>{e.name}</Link>
            </h2>
            <p className="muted small">{t("enterprise.counts", { studios: e.studios, needs: e.needs })}</p>
          </li>
        ))}
      </ul>
      <Pager page={page} pages={pages} />
    </>
  );
}
