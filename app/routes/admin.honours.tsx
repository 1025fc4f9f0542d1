import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AdminBack } from "~/components/admin";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field, Notice, SelectField } from "~/components/forms";
import { Badge, PageHead, Section } from "~/components/ui";
import { HONOUR_LEVELS } from "~/content/honours";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { AdminHonourActionSchema } from "~/models/admin-schemas.server";
import { createHonour, listHonoursForAdmin, setHonourRetired, updateHonour, type HonourOutcome } from "~/models/honour.server";
import { requireSiteAdmin } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { forbidden, readForm } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import styles from "~/styles/admin.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "admin.honours.title");

const DONE = ["created", "updated", "retired", "restored", "unchanged"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireSiteAdmin(request);
  const honours = await listHonoursForAdmin(user);
  if (!honours) throw forbidden("refused.siteAdmin");
  const params = new URL(request.url).searchParams;
  const done = DONE.find((d) => d === params.get("done")) ?? null;
  return { honours, done, doneName: (params.get("name") ?? "").slice(0, 100) };
}

type Failure = { intent: string; key: string | null; errors: Record<string, string>; values: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireSiteAdmin(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const values = Object.fromEntries([...form.entries()].filter(([k, v]) => k !== "csrf" && typeof v === "string")) as Record<string, string>;
  const parsed = AdminHonourActionSchema.safeParse(values);
  if (!parsed.success) return data<Failure>({ intent: values.intent ?? "", key: values.key ?? null, errors: { _form: "form.invalid" }, values }, { status: 400 });
  const p = parsed.data;
  const fields = { nameZh: p.nameZh ?? "", nameEn: p.nameEn ?? "", level: (p.level ?? "") as never };
  let out: HonourOutcome;
  if (p.intent === "create") out = await createHonour(actor, fields);
  else if (p.intent === "update") out = await updateHonour(actor, p.key ?? "", fields);
  else out = await setHonourRetired(actor, p.key ?? "", p.intent === "retire");
  if (out.ok) {
    const done = !out.changed ? "unchanged" : p.intent === "create" ? "created" : p.intent === "update" ? "updated" : p.intent === "retire" ? "retired" : "restored";
    throw redirect(`/admin/honours?done=${done}&name=${encodeURIComponent(out.name)}`);
  }
  if (out.reason === "forbidden") throw forbidden("refused.siteAdmin");
  const errors = out.reason === "invalid" ? out.errors : { _form: "admin.honours.error.notFound" };
  return data<Failure>({ intent: p.intent, key: p.key ?? null, errors, values }, { status: out.reason === "not-found" ? 404 : 400 });
}

export default function AdminHonoursRoute() {
  const { honours, done, doneName } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as Failure | undefined;
  const busy = useNavigation().state !== "idle";
  const t = useT();
  const mine = (intent: string, key: string | null = null) => (failed && failed.intent === intent && failed.key === key ? failed : undefined);
  const created = mine("create");
  return (
    <div className="narrow wide admin">
      <AdminBack />
      <PageHead title={t("admin.honours.title")} lead={t("admin.honours.lead")} />
      {failed?.errors._form && <ErrorSummary errors={{ _form: failed.errors._form }} />}
      {!failed && done && (
        <Notice tone="success">{done === "unchanged" ? t("admin.users.done.unchanged") : t(`admin.honours.done.${done}` as MessageKey, { name: doneName })}</Notice>
      )}

      <Section title={t("admin.honours.new")} id="new">
        <Form method="post" className="stack-form" noValidate>
          <CsrfInput />
          <HonourFields values={created?.values} errors={created?.errors} />
          <div>
            <button type="submit" name="intent" value="create" className="button" disabled={busy}>
              {t("admin.honours.create")}
            </button>
          </div>
        </Form>
      </Section>

      <Section title={t("admin.honours.list")} id="list">
        <ul className="list admin-enterprises">
          {honours.map((h) => {
            const editing = mine("update", h.key);
            const name = t.locale === "en" ? h.nameEn : h.nameZh;
            return (
              <li key={h.key} id={`honour-${h.key}`}>
                <div className="admin-user-who">
                  <span className="title">{name}</span> <Badge tone={`level-${h.level}`}>{t(`level.${h.level}` as MessageKey)}</Badge>
                  {h.retiredAt && <Badge>{t("admin.honours.retired")}</Badge>}
                  <span className="muted small">
                    {" "}
                    {t.locale === "en" ? h.nameZh : h.nameEn} · {t("admin.honours.holders", { n: h.people })}
                    {h.builtIn ? ` · ${t("admin.honours.builtIn")}` : ""}
                  </span>
                  <details open={!!editing}>
                    <summary>{t("admin.honours.edit", { name })}</summary>
                    <Form method="post" className="stack-form" noValidate>
                      <CsrfInput />
                      <input type="hidden" name="key" value={h.key} />
                      <HonourFields values={editing?.values ?? { nameZh: h.nameZh, nameEn: h.nameEn, level: h.level }} errors={editing?.errors} />
                      <div>
                        <button type="submit" name="intent" value="update" className="button" disabled={busy}>
                          {t("admin.honours.save")}
                        </button>
                      </div>
                    </Form>
                  </details>
                </div>
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="key" value={h.key} />
                  <button
                    type="submit"
                    name="intent"
                    value={h.retiredAt ? "restore" : "retire"}
                    className="button secondary"
                    disabled={busy}
                    aria-label={t(h.retiredAt ? "admin.honours.restoreOf" : "admin.honours.retireOf", { name })}
                  >
                    {t(h.retiredAt ? "admin.honours.restore" : "admin.honours.retire")}
                  </button>
                </Form>
              </li>
            );
          })}
        </ul>
      </Section>
    </div>
  );
}

function HonourFields({ values, errors }: { values?: Record<string, string>; errors?: Record<string, string> }) {
  const t = useT();
  return (
    <>
      <Field label={t("admin.honours.nameZh")} name="nameZh" defaultValue={values?.nameZh ?? ""} error={errors?.nameZh} maxLength={40} required />
      <Field label={t("admin.honours.nameEn")} name="nameEn" defaultValue={values?.nameEn ?? ""} error={errors?.nameEn} maxLength={100} lang="en" required />
      <SelectField
        label={t("admin.honours.level")}
        name="level"
        value={values?.level ?? "municipal"}
        error={errors?.level ? t(errors.level as MessageKey) : undefined}
        options={HONOUR_LEVELS.map((l): [string, string] => [l, t(`level.${l}` as MessageKey)])}
      />
    </>
  );
}
