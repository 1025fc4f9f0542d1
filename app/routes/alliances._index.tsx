import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PageHead } from "~/components/ui";
import { ExportLinks } from "~/components/export-links";
import { useT } from "~/i18n/use-t";
import { listAlliances } from "~/models/alliance.server";
import { isCoordinator } from "~/utils/auth.server";
import { pageMeta } from "~/utils/meta";
import { getUser } from "~/utils/session.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "alliances.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const [alliances, user] = await Promise.all([listAlliances(), getUser(request)]);
  return {
    canCreate: isCoordinator(user),
    alliances: alliances.map((a) => ({
      slug: a.slug,
      name: a.name,
      theme: a.theme,
      projects: a._count.projects,
      studios: a.members.length,
      enterprises: new Set(a.members.map((m) => m.studio.enterpriseId)).size,
    })),
  };
}

export default function AlliancesRoute() {
  const { alliances, canCreate } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHead title={t("alliances.title")} lead={t("alliances.lead")}>
        {canCreate && (
          <p className="editor-actions">
            <Link to="/match" className="button">
              {t("alliances.new")}
            </Link>
          </p>
        )}
      </PageHead>
      <ExportLinks list="alliances" />
      {alliances.length === 0 ? (
        <p className="empty">{t("alliances.empty")}</p>
      ) : (
        <ul className="cards">
          {alliances.map((a) => (
            <li key={a.slug} className="card">
              <h2 className="card-title">
                <Link to={`/alliances/${a.slug}`}>{a.name}</Link>
              </h2>
              <p className="muted">
                {t("alliance.theme")}
                {t.colon}
                {a.theme}
              </p>
              <p className="muted small">{t("alliances.counts", { studios: a.studios, enterprises: a.enterprises, projects: a.projects })}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
