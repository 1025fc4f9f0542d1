import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { ADMIN_SECTIONS } from "~/components/admin";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { requireSiteAdmin } from "~/utils/auth.server";
import { pageMeta } from "~/utils/meta";
import styles from "~/styles/admin.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "admin.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireSiteAdmin(request);
  return { ok: true };
}

export default function AdminIndexRoute() {
  const t = useT();
  return (
    <div className="narrow wide admin">
      <PageHead title={t("admin.title")} lead={t("admin.lead")} />
      <ul className="admin-sections">
        {ADMIN_SECTIONS.map((s) => (
          <li key={s.to}>
            <h2>
              <Link to={s.to}>{t(s.title)}</Link>
            </h2>
            <p className="muted small">{t(s.lead)}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
