import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { AllianceSchema } from "~/models/form-schemas.server";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { BodyField } from "~/components/body-field";
import { CsrfInput } from "~/components/csrf";
import { editorStylesHref } from "~/components/editor/styles";
import { ErrorSummary, Field } from "~/components/forms";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { bodyToText } from "~/lexical/text";
import { validateBody } from "~/lexical/validate";
import { createAlliance } from "~/models/alliance.server";
import { listIndustries } from "~/models/industry.server";
import { requireCoordinator } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { parseForm } from "~/utils/forms.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";
import { siteOrigin } from "~/utils/origin.server";
import { readForm } from "~/utils/http.server";
import { studiosBySlug } from "~/models/studio.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: editorStylesHref }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "alliances.new");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireCoordinator(request);
  const params = new URL(request.url).searchParams;
  const invite = params.getAll("invite");
  const [industries, studios] = await Promise.all([listIndustries(), studiosBySlug(invite)]);
  return {
    theme: params.get("theme") ?? "",
    industries: industries.map((i) => ({ key: i.key, nameZh: i.nameZh, nameEn: i.nameEn })),
    studios: studios.map((s) => ({ slug: s.slug, name: s.name, enterprise: s.enterprise.name, industry: s.industryKey })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireCoordinator(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = parseForm(AllianceSchema, form, ["industries", "invite"]);
  const charter = validateBody(String(form.get("charter") ?? ""));
  const errors = { ...(parsed.ok ? {} : parsed.errors), ...(charter.ok ? {} : { charter: charter.key ?? charter.message }) } as Record<string, string>;
  if (!parsed.ok || !charter.ok) return data({ errors, values: parsed.values }, { status: 400 });
  const alliance = await createAlliance({ ...parsed.data, charter: charter.json, charterText: bodyToText(charter.state) }, user, siteOrigin(request));
  throw redirect(`/alliances/${alliance.slug}`);
}

export default function NewAllianceRoute() {
  const { theme, industries, studios } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = useT();
  const v = failed?.values ?? {};
  const chosenIndustries = new Set(v.industries ? v.industries.split("\n") : studios.map((s) => s.industry));
  return (
    <div className="edit-page">
      <PageHead title={t("alliances.new")} />
      <ErrorSummary errors={failed?.errors} />
      <Form method="post" className="stack-form" noValidate>
        <CsrfInput />
        <Field
          label={t("alliance.name")}
          name="name"
          required
          maxLength={60}
          defaultValue={v.name ?? (theme ? t("alliance.nameFromTheme", { theme }) : "")}
          error={failed?.errors.name}
        />
        <Field label={t("alliance.theme")} name="theme" required maxLength={60} defaultValue={v.theme ?? theme} error={failed?.errors.theme} />
        <fieldset className="field">
          <legend>{t("alliance.industries")}</legend>
          <div className="check-grid">
            {industries.map((i) => (
              <label key={i.key} className="check">
                <input type="checkbox" name="industries" value={i.key} defaultChecked={chosenIndustries.has(i.key)} /> {industryName(i, t.locale)}
              </label>
            ))}
          </div>
        </fieldset>
        {studios.length > 0 && (
          <fieldset className="field">
            <legend>{t("alliance.inviteList")}</legend>
            {studios.map((s) => (
              <label key={s.slug} className="check">
                <input type="checkbox" name="invite" value={s.slug} defaultChecked /> {s.name} <span className="muted small">{s.enterprise}</span>
              </label>
            ))}
          </fieldset>
        )}
        <BodyField name="charter" label={t("alliance.charter")} value={v.charter ?? null} error={failed?.errors.charter} />
        <button type="submit" className="button">
          {t("alliance.create")}
        </button>
      </Form>
    </div>
  );
}
