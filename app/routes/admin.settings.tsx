import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AdminBack } from "~/components/admin";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field, Notice } from "~/components/forms";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { getSiteSettings, saveSiteSettings, SETTING_KEYS, SITE_SETTINGS } from "~/models/site-setting.server";
import { requireSiteAdmin } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { forbidden, readForm } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import styles from "~/styles/admin.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "admin.settings.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireSiteAdmin(request);
  const values = await getSiteSettings();
  const done = new URL(request.url).searchParams.get("done");
  return {
    fields: SETTING_KEYS.map((key) => ({ key, label: SITE_SETTINGS[key].label, hint: SITE_SETTINGS[key].hint, switch: "switch" in SITE_SETTINGS[key] })),
    values: values as Record<string, string>,
    done: done === "saved" || done === "unchanged" ? done : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireSiteAdmin(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const input = Object.fromEntries(SETTING_KEYS.map((k) => [k, typeof form.get(k) === "string" ? String(form.get(k)) : undefined]));
  const out = await saveSiteSettings(actor, input);
  if (out.ok) throw redirect(`/admin/settings?done=${out.changed.length ? "saved" : "unchanged"}`);
  if (out.reason === "forbidden") throw forbidden("refused.siteAdmin");
  return data({ errors: out.errors as Record<string, string>, values: input as Record<string, string | undefined> }, { status: 400 });
}

export default function AdminSettingsRoute() {
  const { fields, values, done } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const t = useT();
  return (
    <div className="narrow wide admin admin-settings">
      <AdminBack />
      <PageHead title={t("admin.settings.title")} lead={t("admin.settings.lead")} />
      {failed && <ErrorSummary errors={failed.errors} />}
      {!failed && done && <Notice tone="success">{t(done === "saved" ? "admin.settings.saved" : "admin.settings.unchanged")}</Notice>}
      <Form method="post" className="stack-form" noValidate>
        <CsrfInput />
        {fields.map((f) =>
          f.switch ? (
            <div className="field checkbox-field" key={`${f.key}:${values[f.key]}`}>
              <label>
                <input type="checkbox" name={f.key} value="on" aria-describedby={`${f.key}-hint`} defaultChecked={(failed ? failed.values[f.key] : values[f.key]) === "on"} />{" "}
                {t(f.label)}
              </label>
              <p className="hint" id={`${f.key}-hint`}>
                {t(f.hint)}
              </p>
            </div>
          ) : (
            <Field
              key={`${f.key}:${values[f.key]}`}
              label={t(f.label)}
              hint={t(f.hint)}
              name={f.key}
              maxLength={200}
              autoComplete="off"
              defaultValue={failed?.values[f.key] ?? values[f.key]}
              error={failed?.errors[f.key]}
            />
          ),
        )}
        <div>
          <button type="submit" className="button" disabled={busy}>
            {t("admin.settings.save")}
          </button>
        </div>
      </Form>
    </div>
  );
}
