import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { BodyField } from "~/components/body-field";
import { CsrfInput } from "~/components/csrf";
import { editorStylesHref } from "~/components/editor/styles";
import { ErrorSummary, Field } from "~/components/forms";
import { PageHead, Section } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { bodyToText } from "~/lexical/text";
import { validateBody } from "~/lexical/validate";
import { AllianceEditSchema, allianceForEdit, dissolveAlliance, mayManageAlliance, updateAlliance } from "~/models/alliance.server";
import { listIndustries } from "~/models/industry.server";
import { requireUser } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { parseForm } from "~/utils/forms.server";
import { forbidden, readForm, refusal, requireFound } from "~/utils/http.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";
import { siteOrigin } from "~/utils/origin.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: editorStylesHref }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "alliance.edit.title");

/** The alliance, for its manager (its creator coordinator or a site admin), while it is not dissolved. */
async function load(request: Request, slug: string) {
  const a = await requireFound(await allianceForEdit(slug));
  const user = await requireUser(request);
  if (!mayManageAlliance(user, a)) throw forbidden("refused.allianceManager");
  if (a.dissolvedAt) throw refusal(409, "conflict", "refused.allianceDissolved");
  return { a, user };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { a } = await load(request, params.slug ?? "");
  const industries = await listIndustries();
  return {
    alliance: { slug: a.slug, name: a.name, theme: a.theme, industries: a.industries, charter: a.charter },
    industries: industries.map((i) => ({ key: i.key, nameZh: i.nameZh, nameEn: i.nameEn })),
  };
}

type Failure = { intent: "save" | "dissolve"; errors: Record<string, string>; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { a, user } = await load(request, params.slug ?? "");
  const form = await readForm(request);
  await requireCsrf(request, form);
  const here = `/alliances/${a.slug}`;
  const intent = form.get("intent");
  if (intent === "dissolve") {
    if (form.get("sure") !== "1") return data<Failure>({ intent, errors: { sure: "alliance.dissolve.unsure" }, values: {} }, { status: 400 });
    const out = await dissolveAlliance(a.id, user, siteOrigin(request));
    if (!out.ok) throw out.status === 403 ? forbidden(out.reason) : refusal(409, "conflict", out.reason);
    throw redirect(`${here}?done=dissolved`);
  }
  if (intent !== "save") throw refusal(400, "bad_request", "refused.unknownAction", "intent");
  const parsed = parseForm(AllianceEditSchema, form, ["industries"]);
  const charter = validateBody(String(form.get("charter") ?? ""));
  const errors = { ...(parsed.ok ? {} : parsed.errors), ...(charter.ok ? {} : { charter: charter.key ?? charter.message }) } as Record<string, string>;
  if (!parsed.ok || !charter.ok) return data<Failure>({ intent, errors, values: parsed.values }, { status: 400 });
  const out = await updateAlliance(a.id, { ...parsed.data, charter: charter.json, charterText: bodyToText(charter.state) }, user);
  if (!out.ok) throw out.status === 403 ? forbidden(out.reason) : refusal(409, "conflict", out.reason);
  throw redirect(`${here}?done=${out.changed ? "saved" : "unchanged"}`);
}

export default function EditAllianceRoute() {
  const { alliance, industries } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = useT();
  const saving = failed?.intent === "save" ? failed : undefined;
  const dissolving = failed?.intent === "dissolve" ? failed : undefined;
  const v = saving?.values ?? {};
  const chosen = new Set(v.industries !== undefined ? v.industries.split("\n") : alliance.industries);
  return (
    <div className="edit-page">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to="/alliances">{t("nav.alliances")}</Link> / <Link to={`/alliances/${alliance.slug}`}>{alliance.name}</Link>
      </nav>
      <PageHead title={t("alliance.edit.title")} />
      <ErrorSummary errors={failed?.errors} />
      <Form method="post" className="stack-form" noValidate>
        <CsrfInput />
        <Field label={t("alliance.name")} name="name" required maxLength={60} defaultValue={v.name ?? alliance.name} error={saving?.errors.name} />
        <Field label={t("alliance.theme")} name="theme" required maxLength={60} defaultValue={v.theme ?? alliance.theme} error={saving?.errors.theme} />
        <fieldset className="field">
          <legend>{t("alliance.industries")}</legend>
          <div className="check-grid">
            {industries.map((i) => (
              <label key={i.key} className="check">
                <input type="checkbox" name="industries" value={i.key} defaultChecked={chosen.has(i.key)} /> {industryName(i, t.locale)}
              </label>
            ))}
          </div>
        </fieldset>
        <BodyField name="charter" label={t("alliance.charter")} value={v.charter ?? alliance.charter} error={saving?.errors.charter} />
        <div>
          <button type="submit" name="intent" value="save" className="button">
            {t("alliance.edit.save")}
          </button>
        </div>
      </Form>
      <Section title={t("alliance.dissolve")} id="dissolve">
        <p className="muted">{t("alliance.dissolve.lead")}</p>
        <Form method="post" className="stack-form">
          <CsrfInput />
          <div className={`field${dissolving?.errors.sure ? " has-error" : ""}`}>
            <label className="check">
              <input type="checkbox" name="sure" value="1" aria-invalid={dissolving?.errors.sure ? true : undefined} /> {t("alliance.dissolve.sure")}
            </label>
            {dissolving?.errors.sure && <p className="field-error">{t("alliance.dissolve.unsure")}</p>}
          </div>
          <div>
            <button type="submit" name="intent" value="dissolve" className="button secondary">
              {t("alliance.dissolve")}
            </button>
          </div>
        </Form>
      </Section>
    </div>
  );
}
