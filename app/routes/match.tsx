import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { isCoordinator } from "~/utils/auth.server";
import { pageMeta } from "~/utils/meta";
import { getUser } from "~/utils/session.server";
import { matchBoard } from "~/models/match.server";
import { resultViewer } from "~/models/result.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "match.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const user = await getUser(request);
  const board = await matchBoard(await resultViewer(user), (params.get("theme") ?? "").trim().slice(0, 60), params.get("need") ?? "");
  return { ...board, canCreate: isCoordinator(user) };
}

export default function MatchRoute() {
  const { theme, need, needs, skills, rows, canCreate } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHead title={t("match.title")} lead={t("match.lead")} />
      <Form method="get" className="filter-bar">
        <label>
          <span>{t("match.theme")}</span>
          <input type="search" name="theme" defaultValue={theme} placeholder="智能巡检" />
        </label>
        <label>
          <span>{t("match.need")}</span>
          <select name="need" defaultValue={need?.slug ?? ""}>
            <option value="">—</option>
            {needs.map((n) => (
              <option key={n.slug} value={n.slug}>
                {n.title}
              </option>
            ))}
          </select>
        </label>
        <div className="filter-actions">
          <button type="submit" className="button">
            {t("match.search")}
          </button>
        </div>
      </Form>
      {skills.length > 0 && rows.length === 0 && <p className="empty">{t("match.none")}</p>}
      {rows.length > 0 && (
        <Form method="get" action="/alliances/new">
          <input type="hidden" name="theme" value={need?.title ?? theme} />
          <h2>{t("match.grid")}</h2>
          <div className="table-scroll">
            <table className="data coverage">
              <thead>
                <tr>
                  {canCreate && <th scope="col">{t("match.pick")}</th>}
                  <th scope="col">{t("nav.studios")}</th>
                  {skills.map((s) => (
                    <th key={s} scope="col">
                      {s}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.slug}>
                    {canCreate && (
                      <td>
                        <input type="checkbox" name="invite" value={r.slug} aria-label={`${t("match.pick")} ${r.name}`} />
                      </td>
                    )}
                    <th scope="row">
                      <Link to={`/studios/${r.slug}`}>{r.name}</Link>
                      <div className="muted small">
                        {r.enterprise} · {t("match.covers", { n: r.covers.filter(Boolean).length, total: skills.length })}
                      </div>
                    </th>
                    {r.covers.map((c, i) => (
                      <td key={skills[i]} className={c ? "covered" : "gap"}>
                        {c ? "✓" : "—"}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {canCreate && (
            <p>
              <button type="submit" className="button">
                {t("match.createAlliance")}
              </button>
            </p>
          )}
        </Form>
      )}
    </>
  );
}
