import { Link } from "@remix-run/react";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { formatDateTime } from "~/utils/dates";

/** An enquiry as its readers see it (studio admins and coordinators: contact details included). */
export interface EnquiryRow {
  id: string;
  status: string;
  at: string;
  excerpt: string;
  from: string;
  organisation: string;
  contact: string;
  studio: { slug: string; name: string };
  result: { slug: string; title: string } | null;
  need: { slug: string; title: string } | null;
}

export function EnquiryList({ items, showStudio = true }: { items: EnquiryRow[]; showStudio?: boolean }) {
  const t = useT();
  if (!items.length) return <p className="empty">{t("enquiry.none")}</p>;
  return (
    <ul className="list enquiries">
      {items.map((e) => (
        <li key={e.id}>
          <p>
            <Link to={`/enquiries/${e.id}`} className="title">
              {e.excerpt}
            </Link>{" "}
            <span className={`badge enquiry-${e.status}`}>{t(`enquiry.status.${e.status}` as MessageKey)}</span>
          </p>
          <p className="small">
            {e.from}
            {e.organisation ? `（${e.organisation}）` : ""} · {e.contact}
          </p>
          <p className="muted small">
            {showStudio && <>{e.studio.name} · </>}
            {e.result && <>{e.result.title} · </>}
            <time dateTime={e.at}>{formatDateTime(e.at)}</time>
            {e.need && (
              <>
                {" · "}
                <Link to={`/needs/${e.need.slug}`}>{t("enquiry.needLink", { need: e.need.title })}</Link>
              </>
            )}
          </p>
        </li>
      ))}
    </ul>
  );
}
