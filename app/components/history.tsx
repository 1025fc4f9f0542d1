import { Form, Link, useSearchParams } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { Notice } from "~/components/forms";
import { PageHead, RichText } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { formatDateTime } from "~/utils/dates";

export interface HistoryData {
  name: string;
  href: string;
  current: number;
  revisions: { version: number; by: string | null; at: string; changed: string[] }[];
  viewing: { version: number; html: string } | null;
}

/** The history of a studio, result or patent: versions, who saved them, a view and a restore. */
export function HistoryPage({ data }: { data: HistoryData }) {
  const t = useT();
  const [params] = useSearchParams();
  const restored = params.get("restored");
  return (
    <div className="history-page">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to={data.href}>{data.name}</Link>
      </nav>
      <PageHead title={t("history.title", { name: data.name })} />
      {restored && <Notice tone="success">{t("history.restored", { n: restored })}</Notice>}
      <div className="record-grid">
        <ol className="list revisions" reversed>
          {data.revisions.map((r) => (
            <li key={r.version}>
              <strong>{t("history.version", { n: r.version })}</strong> {r.version === data.current && <span className="badge">{t("history.current")}</span>}
              <div className="muted small">{t("history.by", { who: r.by ?? t("history.unknownAuthor"), at: formatDateTime(r.at) })}</div>
              {r.changed.length > 0 && <div className="small">{t("history.changed", { fields: r.changed.join(", ") })}</div>}
              <div className="revision-actions">
                <Link to={`?v=${r.version}`}>{t("history.view")}</Link>
                {r.version !== data.current && (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="version" value={r.version} />
                    <button type="submit" name="intent" value="restore" className="link-like">
                      {t("history.restore")}
                    </button>
                  </Form>
                )}
              </div>
            </li>
          ))}
        </ol>
        <aside className="side">
          {data.viewing && (
            <section className="panel">
              <h2>{t("history.version", { n: data.viewing.version })}</h2>
              <RichText html={data.viewing.html} />
            </section>
          )}
        </aside>
      </div>
    </div>
  );
}
