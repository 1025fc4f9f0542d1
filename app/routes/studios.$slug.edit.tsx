import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { AutosaveStatus, useAutosave } from "~/components/autosave";
import { BodyField } from "~/components/body-field";
import { CsrfInput } from "~/components/csrf";
import { editorStylesHref } from "~/components/editor/styles";
import { EditNotices, Field, SelectField, TextAreaField, useErrorText } from "~/components/forms";
import { PageHead } from "~/components/ui";
import { LEVELS, SECTORS } from "~/content/enums";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { publishStudio, readDraft, saveDraft } from "~/models/editing.server";
import { listIndustries } from "~/models/industry.server";
import { isCoordinator, requireStudioEditor, studioRole } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { readForm, requireFound } from "~/utils/http.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";
import { findStudio } from "~/models/studio.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: editorStylesHref }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "edit.editStudio");

async function load(slug: string) {
  return requireFound(await findStudio(slug));
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const s = await load(params.slug ?? "");
  const user = await requireStudioEditor(request, s.id);
  const draft = readDraft(s.draft);
  const form = {
    name: s.name,
    industry: s.industryKey,
    sector: s.sector,
    level: s.level,
    specialties: s.specialties.join("，"),
    founded: String(s.founded),
    honours: s.honours.join("\n"),
    needs: s.skillNeeds.join("，"),
    body: s.body,
  };
  return {
    // 认定: only coordinators and site admins set the level and honours; studio admins request a change
    recognition: isCoordinator(user) ? ("set" as const) : studioRole(user, s.id) === "admin" ? ("request" as const) : ("view" as const),
    studio: { slug: s.slug, name: s.name, version: s.version, level: s.level, honours: s.honours },
    form: draft ? ({ ...form, ...draft } as typeof form) : form,
    draftAt: draft ? (s.draftAt?.toISOString() ?? null) : null,
    industries: (await listIndustries()).map((i) => ({ key: i.key, nameZh: i.nameZh, nameEn: i.nameEn })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const s = await load(params.slug ?? "");
  const user = await requireStudioEditor(request, s.id);
  const form = await readForm(request);
  await requireCsrf(request, form);
  if (form.get("intent") === "autosave") {
    const saved = await saveDraft("studio", s.id, form);
    return data(saved, { status: saved.ok ? 200 : 413 });
  }
  const outcome = await publishStudio(form, { id: s.id, slug: s.slug }, user.id);
  if (outcome.ok) throw redirect(`/studios/${s.slug}?published=1`);
  return data(outcome, { status: outcome.status });
}

export default function EditStudioRoute() {
  const { studio, form, draftAt, industries, recognition } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failed = actionData && "errors" in actionData ? actionData : null;
  const t = useT();
  const err = useErrorText();
  const formRef = useRef<HTMLFormElement>(null);
  const { schedule, fetcher, dirty } = useAutosave(formRef);
  const busy = useNavigation().state === "submitting";
  const e = failed?.errors ?? {};
  const v = (name: keyof typeof form) => (failed?.values && name in failed.values ? failed.values[name] : form[name]);
  return (
    <div className="edit-page">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to={`/studios/${studio.slug}`}>{studio.name}</Link>
      </nav>
      <PageHead title={t("edit.editStudio")} />
      <EditNotices draftAt={draftAt} errors={failed?.errors} stale={failed && "stale" in failed ? failed.stale : null} />
      <Form method="post" ref={formRef} className="stack-form edit-form" onChange={schedule} noValidate>
        <CsrfInput />
        <input type="hidden" name="studio" value={studio.slug} />
        <input type="hidden" name="version" value={studio.version} />
        <Field label={t("edit.name")} name="name" required maxLength={100} defaultValue={v("name")} error={e.name} />
        <div className="field-row">
          <SelectField
            label={t("studio.industry")}
            name="industry"
            value={v("industry")}
            error={err(e.industry)}
            options={industries.map((i) => [i.key, industryName(i, t.locale)])}
          />
          <SelectField label={t("filter.sector")} name="sector" value={v("sector")} error={err(e.sector)} options={SECTORS.map((s) => [s, t(`sector.${s}` as MessageKey)])} />
          {recognition === "set" && (
            <SelectField label={t("filter.level")} name="level" value={v("level")} error={err(e.level)} options={LEVELS.map((l) => [l, t(`level.${l}` as MessageKey)])} />
          )}
          <Field label={t("studio.foundedLabel")} name="founded" inputMode="numeric" defaultValue={v("founded")} error={e.founded} />
        </div>
        <Field label={t("studio.specialties")} name="specialties" defaultValue={v("specialties")} hint={t("edit.specialtiesHint")} error={e.specialties} />
        <Field label={t("studio.needs")} name="needs" defaultValue={v("needs")} hint={t("edit.needsHint")} error={e.needs} />
        {recognition === "set" ? (
          <TextAreaField label={t("studio.honours")} name="honours" rows={3} defaultValue={v("honours")} hint={t("edit.linesHint")} error={e.honours} />
        ) : (
          <section className="recognition-readonly" aria-labelledby="recognition-head">
            <h2 id="recognition-head" className="field-label">
              {t("recognition.current")}
            </h2>
            <p>
              {t("filter.level")}：<span className="badge">{t(`level.${studio.level}` as MessageKey)}</span>
            </p>
            {studio.honours.length > 0 && (
              <ul className="plain-list">
                {studio.honours.map((h) => (
                  <li key={h}>{h}</li>
                ))}
              </ul>
            )}
            <p className="hint">
              {t("recognition.readOnly")} {recognition === "request" && <Link to={`/studios/${studio.slug}/recognition`}>{t("recognition.askChange")}</Link>}
            </p>
          </section>
        )}
        <BodyField name="body" label={t("studio.profile")} hint={t("edit.bodyHint")} value={v("body")} error={e.body} onChange={schedule} />
        <div className="form-actions">
          <button type="submit" name="intent" value="publish" className="button" disabled={busy}>
            {t("edit.publishChanges")}
          </button>
          <AutosaveStatus fetcher={fetcher} dirty={dirty} />
          <Link to={`/studios/${studio.slug}/history`} className="muted">
            {t("edit.history")}
          </Link>
        </div>
      </Form>
    </div>
  );
}
