import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { listEnterprises } from "~/models/enterprise.server";
import { pageMeta } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "enterprises.title");

export async function loader() {
  const enterprises = await listEnterprises();
  return { enterprises: enterprises.map((e) => ({ slug: e.slug, name: e.name, studios: e._count.studios, needs: e._count.needs })) };
}

export default function EnterprisesRoute() {
  const { enterprises } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHead title={t("enterprises.title")} lead={t("enterprises.lead")} />
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
    </>
  );
}
