import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { AdminBack } from "~/components/admin";
import { Pager } from "~/components/pager";
import { ErrorSummary } from "~/components/forms";
import { PageHead } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { AuditQuerySchema } from "~/models/admin-schemas.server";
import { listAudit, type AuditValue } from "~/models/audit.server";
import { requireSiteAdmin } from "~/utils/auth.server";
import { forbidden } from "~/utils/http.server";
import { formatDateTime } from "~/utils/dates";
import { pageMeta } from "~/utils/meta";
import styles from "~/styles/admin.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "admin.audit.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireSiteAdmin(request);
  const raw = Object.fromEntries(new URL(request.url).searchParams);
  let parsed = AuditQuerySchema.safeParse(raw);
  const errors: Record<string, string> = {};
  if (!parsed.success) {
    // a bad filter is named and left out; the others still apply
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message.startsWith("admin.") ? issue.message : "form.invalid";
    parsed = AuditQuerySchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([k]) => !(k in errors))));
  }
  const filters = parsed.success ? parsed.data : {};
  const log = await listAudit(user, filters);
  if (!log) throw forbidden("refused.siteAdmin");
  return { ...log, errors };
}

export default function AdminAuditRoute() {
  const { entries, total, page, pages, verbs, subjects, errors } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const t = useT();
  const verbName = (v: string) => (t.has(`admin.audit.verb.${v}`) ? t(`admin.audit.verb.${v}` as MessageKey) : t("admin.audit.verb.other", { verb: v }));
  const subjectName = (s: string) => (t.has(`admin.audit.subject.${s}`) ? t(`admin.audit.subject.${s}` as MessageKey) : s);
  const fieldName = (f: string) => (t.has(`admin.audit.field.${f}`) ? t(`admin.audit.field.${f}` as MessageKey) : f);
  const value = (field: string, v: AuditValue) => {
    if (v === null || v === "") return t("admin.audit.empty");
    if (typeof v === "boolean") return t(v ? "admin.audit.yes" : "admin.audit.no");
    if (field === "role" && t.has(`admin.role.${v}`)) return t(`admin.role.${v}` as MessageKey);
    if (field === "level" && t.has(`level.${v}`)) return t(`level.${v}` as MessageKey);
    if (field === "state" && t.has(`alliance.${v}`)) return t(`alliance.${v}` as MessageKey);
    return String(v);
  };
  const filtered = ["actor", "verb", "subject", "from", "to"].some((k) => params.get(k));
  return (
    <div className="narrow wide admin">
      <AdminBack />
      <PageHead title={t("admin.audit.title")} lead={t("admin.audit.lead")} />
      <ErrorSummary errors={Object.keys(errors).length ? { _form: Object.values(errors)[0] } : null} />
      <Form method="get" className="admin-search-form" aria-label={t("filter.legend")}>
        <label>
          <span>{t("admin.audit.actor")}</span>
          <input type="search" name="actor" defaultValue={params.get("actor") ?? ""} maxLength={100} placeholder={t("admin.audit.actorHint")} />
        </label>
        <label>
          <span>{t("admin.audit.verb")}</span>
          <select name="verb" defaultValue={params.get("verb") ?? ""}>
            <option value="">{t("admin.audit.all")}</option>
            {verbs.map((v) => (
              <option key={v} value={v}>
                {verbName(v)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("admin.audit.subject")}</span>
          <select name="subject" defaultValue={params.get("subject") ?? ""}>
            <option value="">{t("admin.audit.all")}</option>
            {subjects.map((s) => (
              <option key={s} value={s}>
                {subjectName(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("admin.audit.from")}</span>
          <input type="date" name="from" defaultValue={params.get("from") ?? ""} aria-invalid={errors.from ? true : undefined} />
        </label>
        <label>
          <span>{t("admin.audit.to")}</span>
          <input type="date" name="to" defaultValue={params.get("to") ?? ""} aria-invalid={errors.to ? true : undefined} />
        </label>
        <button type="submit" className="button">
          {t("admin.audit.apply")}
        </button>
        {filtered && (
          <Link to="?" className="button secondary">
            {t("admin.audit.clear")}
          </Link>
        )}
      </Form>
      <p className="muted small">{t("admin.audit.count", { n: total })}</p>
      {entries.length === 0 ? (
        <p className="empty">{t("admin.audit.none")}</p>
      ) : (
        <ul className="list audit-list">
          {entries.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{formatDateTime(e.at)}</time>
              <strong>{e.actor ? e.actor.name : t("admin.audit.system")}</strong>
              {e.actor && <span className="muted small"> {e.actor.email}</span>}
              {" · "}
              {verbName(e.verb)}
              {" · "}
              <span className="muted">{subjectName(e.subjectType)}</span>
              {e.summary && e.subjectType !== "siteSetting" && (
                <>
                  {t.colon}
                  {e.summary}
                </>
              )}
              {e.changes.map((c) => (
                <span key={c.field} className="audit-change small">
                  {fieldName(c.field)}
                  {t.colon}
                  <del>{value(c.field, c.before)}</del> → <ins>{value(c.field, c.after)}</ins>
                </span>
              ))}
            </li>
          ))}
        </ul>
      )}
      <Pager page={page} pages={pages} />
    </div>
  );
}
