import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AdminBack } from "~/components/admin";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field, Notice, TextAreaField } from "~/components/forms";
import { Badge, PageHead, Section } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { AdminEnterpriseActionSchema } from "~/models/admin-schemas.server";
import { createEnterprise, listEnterprisesForAdmin, mergeEnterprises, setEnterpriseArchived, updateEnterprise, type EnterpriseOutcome } from "~/models/enterprise.server";
import { requireSiteAdmin } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { forbidden, readForm } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import styles from "~/styles/admin.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "admin.enterprises.title");

const DONE = ["created", "updated", "archived", "restored", "merged", "unchanged"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireSiteAdmin(request);
  const params = new URL(request.url).searchParams;
  const archived = params.get("archived") === "1";
  const enterprises = await listEnterprisesForAdmin(user, { archived });
  if (!enterprises) throw forbidden("refused.siteAdmin");
  const done = DONE.find((d) => d === params.get("done")) ?? null;
  return { enterprises, archived, done, doneName: (params.get("name") ?? "").slice(0, 100) };
}

type Failure = { intent: string; id: string | null; errors: Record<string, string>; values: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireSiteAdmin(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const values = Object.fromEntries([...form.entries()].filter(([k, v]) => k !== "csrf" && typeof v === "string")) as Record<string, string>;
  const parsed = AdminEnterpriseActionSchema.safeParse(values);
  if (!parsed.success) return data<Failure>({ intent: values.intent ?? "", id: null, errors: { _form: "form.invalid" }, values }, { status: 400 });
  const p = parsed.data;
  const fields = { name: p.name ?? "", nameEn: p.nameEn, description: p.description };
  let out: EnterpriseOutcome;
  if (p.intent === "create") out = await createEnterprise(actor, fields);
  else if (p.intent === "update") out = await updateEnterprise(actor, p.id ?? "", fields);
  else if (p.intent === "archive" || p.intent === "restore") out = await setEnterpriseArchived(actor, p.id ?? "", p.intent === "archive");
  else if (p.from && p.into) out = await mergeEnterprises(actor, p.from, p.into);
  else return data<Failure>({ intent: p.intent, id: null, errors: { _form: "admin.enterprises.error.same" }, values }, { status: 400 });
  if (out.ok) {
    const done = !out.changed
      ? "unchanged"
      : p.intent === "create"
        ? "created"
        : p.intent === "update"
          ? "updated"
          : p.intent === "archive"
            ? "archived"
            : p.intent === "restore"
              ? "restored"
              : "merged";
    throw redirect(`/admin/enterprises?done=${done}&name=${encodeURIComponent(out.name)}`);
  }
  if (out.reason === "forbidden") throw forbidden("refused.siteAdmin");
  const errors = out.reason === "invalid" ? out.errors : { _form: `admin.enterprises.error.${out.reason}` };
  return data<Failure>({ intent: p.intent, id: p.id ?? null, errors, values }, { status: out.reason === "not-found" ? 404 : 400 });
}

export default function AdminEnterprisesRoute() {
  const { enterprises, archived, done, doneName } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as Failure | undefined;
  const busy = useNavigation().state !== "idle";
  const t = useT();
  const mine = (intent: string, id: string | null = null) => (failed && failed.intent === intent && failed.id === id ? failed : undefined);
  const created = mine("create");
  const merging = mine("merge");
  const live = enterprises.filter((e) => !e.archivedAt);
  return (
    <div className="narrow wide admin">
      <AdminBack />
      <PageHead title={t("admin.enterprises.title")} lead={t("admin.enterprises.lead")} />
      {failed?.errors._form && <ErrorSummary errors={{ _form: failed.errors._form }} />}
      {!failed && done && (
        <Notice tone="success">{done === "unchanged" ? t("admin.users.done.unchanged") : t(`admin.enterprises.done.${done}` as MessageKey, { name: doneName })}</Notice>
      )}

      <Section title={t("admin.enterprises.new")} id="new">
        <Form method="post" className="stack-form" noValidate>
          <CsrfInput />
          <EnterpriseFields values={created?.values} errors={created?.errors} />
          <div>
            <button type="submit" name="intent" value="create" className="button" disabled={busy}>
              {t("admin.enterprises.create")}
            </button>
          </div>
        </Form>
      </Section>

      <Section title={t("admin.enterprises.merge")} id="merge">
        <p className="muted small">{t("admin.enterprises.mergeLead")}</p>
        <Form method="post" className="admin-search-form">
          <CsrfInput />
          {(["from", "into"] as const).map((k) => (
            <label key={k}>
              <span>{t(k === "from" ? "admin.enterprises.mergeFrom" : "admin.enterprises.mergeInto")}</span>
              <select name={k} defaultValue={merging?.values[k] ?? ""} required>
                <option value="">{t("admin.enterprises.choose")}</option>
                {live.map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.name}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <button type="submit" name="intent" value="merge" className="button" disabled={busy}>
            {t("admin.enterprises.mergeButton")}
          </button>
        </Form>
      </Section>

      <Section title={t("admin.enterprises.title")} id="list">
        <p className="small">{archived ? <Link to="?">{t("admin.audit.clear")}</Link> : <Link to="?archived=1">{t("admin.enterprises.showArchived")}</Link>}</p>
        <ul className="list admin-enterprises">
          {enterprises.map((e) => {
            const editing = mine("update", e.id);
            return (
              <li key={e.id} id={`enterprise-${e.id}`}>
                <div className="admin-user-who">
                  <Link to={`/enterprises/${e.slug}`} className="title">
                    {e.name}
                  </Link>
                  {e.archivedAt && <Badge>{t("admin.enterprises.archived")}</Badge>}
                  <span className="muted small"> {t("admin.enterprises.counts", { studios: e.studios, needs: e.needs, contacts: e.contacts })}</span>
                  <details open={!!editing}>
                    <summary>{t("admin.enterprises.edit")}</summary>
                    <Form method="post" className="stack-form" noValidate>
                      <CsrfInput />
                      <input type="hidden" name="id" value={e.id} />
                      <EnterpriseFields values={editing?.values ?? { name: e.name, nameEn: e.nameEn, description: e.description }} errors={editing?.errors} />
                      <div>
                        <button type="submit" name="intent" value="update" className="button" disabled={busy}>
                          {t("admin.enterprises.save")}
                        </button>
                      </div>
                    </Form>
                  </details>
                </div>
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="id" value={e.id} />
                  {e.archivedAt ? (
                    <button
                      type="submit"
                      name="intent"
                      value="restore"
                      className="button secondary"
                      disabled={busy}
                      aria-label={t("admin.enterprises.restoreOf", { name: e.name })}
                    >
                      {t("admin.enterprises.restore")}
                    </button>
                  ) : (
                    <button
                      type="submit"
                      name="intent"
                      value="archive"
                      className="button secondary"
                      disabled={busy}
                      aria-label={t("admin.enterprises.archiveOf", { name: e.name })}
                    >
                      {t("admin.enterprises.archive")}
                    </button>
                  )}
                </Form>
              </li>
            );
          })}
        </ul>
      </Section>
    </div>
  );
}

function EnterpriseFields({ values, errors }: { values?: Record<string, string>; errors?: Record<string, string> }) {
  const t = useT();
  return (
    <>
      <Field label={t("admin.enterprises.name")} name="name" defaultValue={values?.name ?? ""} error={errors?.name} maxLength={100} required />
      <Field label={t("admin.enterprises.nameEn")} name="nameEn" defaultValue={values?.nameEn ?? ""} error={errors?.nameEn} maxLength={200} lang="en" />
      <TextAreaField label={t("admin.enterprises.description")} name="description" defaultValue={values?.description ?? ""} error={errors?.description} maxLength={2000} rows={3} />
    </>
  );
}
