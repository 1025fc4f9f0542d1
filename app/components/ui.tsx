import { Form, Link, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

/** The separator of meta lines ("软件 · 2021"): a no-break space keeps the dot off the start of a line. */
export const SEP = "\u00a0· ";

export function IllustrativeBadge({ show }: { show: boolean }) {
  const t = useT();
  if (!show) return null;
  return (
    <span className="badge illustrative" title={t("illustrative.title")}>
      {t("illustrative.badge")}
    </span>
  );
}

export function IllustrativeNote({ show }: { show: boolean }) {
  const t = useT();
  if (!show) return null;
  return (
    <p className="note illustrative-note" role="note">
      {t("illustrative.note")}
    </p>
  );
}

export function Badge({ children, tone }: { children: ReactNode; tone?: string }) {
  return <span className={`badge${tone ? ` ${tone}` : ""}`}>{children}</span>;
}

export function Tags({ items, label }: { items: string[]; label?: string }) {
  if (!items.length) return null;
  return (
    <ul className="tags" aria-label={label}>
      {items.map((x) => (
        <li key={x}>{x}</li>
      ))}
    </ul>
  );
}

export function PageHead({ title, lead, children }: { title: ReactNode; lead?: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-head">
      <h1>{title}</h1>
      {lead && <p className="lead">{lead}</p>}
      {children}
    </header>
  );
}

export interface FilterDef {
  name: string;
  label: MessageKey;
  options: { value: string; label: string }[];
  allLabel?: string;
}

/** A GET form of selects: the URL holds the state, and it works without JavaScript. */
export function FilterBar({ filters, children }: { filters: FilterDef[]; children?: ReactNode }) {
  const t = useT();
  const [params] = useSearchParams();
  const active = filters.some((f) => params.get(f.name));
  return (
    <Form method="get" className="filter-bar" aria-label={t("filter.legend")}>
      {filters.map((f) => (
        <label key={f.name}>
          <span>{t(f.label)}</span>
          <select name={f.name} defaultValue={params.get(f.name) ?? ""}>
            <option value="">{f.allLabel ?? t("filter.all")}</option>
            {f.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      ))}
      {children}
      <div className="filter-actions">
        <button type="submit" className="button">
          {t("filter.apply")}
        </button>
        {active && (
          <Link to="?" className="button secondary">
            {t("studios.clear")}
          </Link>
        )}
      </div>
    </Form>
  );
}

export function Section({ title, children, id }: { title: ReactNode; children: ReactNode; id?: string }) {
  return (
    <section className="section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** Rich text rendered on the server from the Lexical whitelist (see app/lexical/render.server.tsx). */
export function RichText({ html }: { html: string }) {
  return <div className="rich-text" dangerouslySetInnerHTML={{ __html: html }} />;
}
