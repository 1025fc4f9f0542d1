import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field, Notice, SelectField, TextAreaField, useErrorText } from "~/components/forms";
import { PageHead, Section } from "~/components/ui";
import { LEVELS } from "~/content/enums";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { listEnterprises } from "~/models/enterprise.server";
import { listIndustries } from "~/models/industry.server";
import { myApplications, submitApplication } from "~/models/studio-application.server";
import { requireUser } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { readForm } from "~/utils/http.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";
import { siteOrigin } from "~/utils/origin.server";
import styles from "~/styles/review.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "apply.title");

/** 申报 — a signed-in user applies for their studio to join; a returned application comes back filled in. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [applications, enterprises, industries] = await Promise.all([myApplications(user.id), listEnterprises(), listIndustries()]);
  return {
    applications,
    enterprises: enterprises.map((e) => ({ slug: e.slug, name: e.name })),
    industries: industries.map((i) => ({ key: i.key, nameZh: i.nameZh, nameEn: i.nameEn })),
    sent: new URL(request.url).searchParams.get("sent") === "1",
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const out = await submitApplication(user, form, siteOrigin(request));
  if (out.ok) throw redirect("/apply?sent=1");
  return data({ errors: out.errors, values: out.values }, { status: out.status });
}

export default function ApplyRoute() {
  const { applications, enterprises, industries, sent } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  const err = useErrorText();
  const pending = applications.find((a) => a.status === "pending");
  const returned = !pending ? applications.find((a) => a.status === "returned") : undefined;
  const base = returned?.values;
  const v = (name: keyof NonNullable<typeof base>) => failed?.values[name] ?? base?.[name] ?? "";
  const e = failed?.errors ?? {};
  return (
    <div className="narrow wide review-page">
      <PageHead title={t("apply.title")} lead={t("apply.lead")} />
      {failed && <ErrorSummary errors={failed.errors} />}
      {!failed && sent && <Notice tone="success">{t("apply.done")}</Notice>}
      {returned && (
        <p className="notice review-notice returned" role="status">
          <span className="badge review-returned">{t("apply.status.returned")}</span> {t("recognition.reasonWas", { reason: returned.reason })}
        </p>
      )}
      {!pending && (
        <Section title={returned ? t("apply.resubmit") : t("apply.nav")} id="form">
          <Form method="post" encType="multipart/form-data" className="stack-form" noValidate>
            <CsrfInput />
            {returned && <input type="hidden" name="id" value={returned.id} />}
            <Field label={t("apply.name")} name="name" required maxLength={100} defaultValue={v("name")} error={e.name} />
            <SelectField
              label={t("apply.enterprise")}
              name="enterprise"
              value={v("enterprise")}
              error={err(e.enterprise)}
              options={[["", t("apply.enterpriseOther")], ...enterprises.map((x): [string, string] => [x.slug, x.name])]}
            />
            <Field
              label={t("apply.enterpriseName")}
              name="enterpriseName"
              maxLength={100}
              defaultValue={v("enterpriseName")}
              hint={t("apply.enterpriseHint")}
              error={e.enterpriseName}
            />
            <div className="field-row">
              <Field label={t("apply.leader")} name="leader" required maxLength={40} defaultValue={v("leader")} error={e.leader} />
              <SelectField
                label={t("apply.level")}
                name="level"
                value={v("level") || "municipal"}
                error={err(e.level)}
                options={LEVELS.map((l) => [l, t(`level.${l}` as MessageKey)])}
              />
              <SelectField
                label={t("apply.industry")}
                name="industry"
                value={v("industry")}
                error={err(e.industry)}
                options={industries.map((i) => [i.key, industryName(i, t.locale)])}
              />
            </div>
            <Field label={t("apply.specialties")} name="specialties" defaultValue={v("specialties")} hint={t("apply.specialtiesHint")} error={e.specialties} />
            <TextAreaField label={t("apply.introduction")} name="introduction" rows={5} required defaultValue={v("introduction")} error={e.introduction} />
            <Field label={t("apply.attachment")} name="attachment" type="file" accept="image/*" hint={t("recognition.attachmentHint")} error={e.attachment} />
            <div>
              <button type="submit" className="button" disabled={busy}>
                {returned ? t("apply.resubmit") : t("apply.submit")}
              </button>
            </div>
          </Form>
        </Section>
      )}
      {applications.length > 0 && (
        <Section title={t("apply.mine")} id="mine">
          <ul className="review-list">
            {applications.map((a) => (
              <li key={a.id} className="review-item">
                <p>
                  <span className={`badge review-${a.status}`}>{t(`apply.status.${a.status}` as MessageKey)}</span> <strong>{a.values.name}</strong>
                </p>
                {a.status === "returned" && <p className="field-error">{t("recognition.reasonWas", { reason: a.reason })}</p>}
                {a.studioSlug && <Link to={`/studios/${a.studioSlug}`}>{t("apply.studioLink")}</Link>}
              </li>
            ))}
          </ul>
        </Section>
      )}
    </div>
  );
}
