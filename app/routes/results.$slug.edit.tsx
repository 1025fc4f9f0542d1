import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { AutosaveStatus, useAutosave } from "~/components/autosave";
import { BodyField } from "~/components/body-field";
import { CsrfInput } from "~/components/csrf";
import { editorStylesHref } from "~/components/editor/styles";
import { EditNotices, Field, SelectField, TextAreaField, useErrorText } from "~/components/forms";
import { PageHead } from "~/components/ui";
import { RESULT_KINDS, RESULT_STATUSES } from "~/content/enums";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { publishResult, readDraft, saveDraft } from "~/models/editing.server";
import { listIndustries } from "~/models/industry.server";
import { notifyAllianceOfResult } from "~/models/notification.server";
import { siteOrigin } from "~/utils/origin.server";
import { requireStudioEditor } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { readForm, requireFound } from "~/utils/http.server";
import { industryName } from "~/utils/labels";
import { pageMeta } from "~/utils/meta";
import { findResult } from "~/models/result.server";
import { reviewBadge, reviewStateOf, submittedValues } from "~/models/review.server";
import { ReviewNotice } from "~/components/review";
import { studioPatentChoices } from "~/models/patent.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: editorStylesHref }];
export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageMeta(matches, data ? data.form.title || "edit.editResult" : "edit.editResult");

async function load(slug: string) {
  return requireFound(await findResult(slug));
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const r = await load(params.slug ?? "");
  await requireStudioEditor(request, r.studioId);
  const [industries, studioPatents] = await Promise.all([listIndustries(), studioPatentChoices(r.studioId)]);
  // a change waiting for review (or returned) reopens as it was sent, unless the autosave is newer
  const state = await reviewStateOf("result", r.id);
  const draft = (await submittedValues("result", r.id, r.draftAt)) ?? readDraft(r.draft);
  const form = {
    title: r.title,
    kind: r.kind,
    industry: r.industryKey,
    tags: r.tags.join("，"),
    benefits: r.benefits.join("\n"),
    status: r.status,
    adopters: r.adopters.join("\n"),
    year: String(r.year),
    awards: r.awards.join("\n"),
    visibility: r.visibility,
    patents: r.patents.map((p) => p.patent.number) as string[],
    body: r.body,
  };
  return {
    result: { slug: r.slug, published: r.published, version: r.version },
    review: reviewBadge(state),
    studio: { slug: r.studio.slug, name: r.studio.name },
    form: draft ? ({ ...form, ...draft, patents: Array.isArray(draft.patents) ? draft.patents : [] } as typeof form) : form,
    draftAt: draft ? (r.draftAt?.toISOString() ?? null) : null,
    industries: industries.map((i) => ({ key: i.key, nameZh: i.nameZh, nameEn: i.nameEn })),
    studioPatents,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const r = await load(params.slug ?? "");
  const user = await requireStudioEditor(request, r.studioId);
  const form = await readForm(request);
  await requireCsrf(request, form);
  if (form.get("intent") === "autosave") {
    const saved = await saveDraft("result", r.id, form);
    return data(saved, { status: saved.ok ? 200 : 413 });
  }
  const outcome = await publishResult(form, { id: r.studioId, slug: r.studio.slug }, r.slug, user.id);
  if (outcome.ok) {
    if (!r.published && !outcome.held) await notifyAllianceOfResult(r.studioId, { title: String(form.get("title") ?? r.title), slug: r.slug }, siteOrigin(request));
    throw redirect(`/results/${outcome.slug}?published=1`);
  }
  return data(outcome, { status: outcome.status });
}

export default function EditResultRoute() {
  const { result, studio, form, draftAt, industries, studioPatents, review } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failed = actionData && "errors" in actionData ? actionData : null;
  const t = useT();
  const err = useErrorText();
  const formRef = useRef<HTMLFormElement>(null);
  const { schedule, fetcher, dirty } = useAutosave(formRef);
  const busy = useNavigation().state === "submitting";
  const e = failed?.errors ?? {};
  const v = (name: keyof typeof form) => (failed?.values && name in failed.values ? failed.values[name] : (form[name] as string));
  const chosen = new Set(failed?.values?.patents ? failed.values.patents.split("\n") : form.patents);
  return (
    <div className="edit-page">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to={`/studios/${studio.slug}`}>{studio.name}</Link> / <Link to={result.published ? `/results/${result.slug}` : `/studios/${studio.slug}`}>{form.title}</Link>
      </nav>
      <PageHead title={result.published ? t("edit.editResult") : t("edit.newResult")}>
        {!result.published && (
          <p>
            <span className="badge">{t("edit.unpublished")}</span>
          </p>
        )}
      </PageHead>
      <ReviewNotice review={review} />
      <EditNotices draftAt={draftAt} errors={failed?.errors} stale={failed && "stale" in failed ? failed.stale : null} />
      <Form method="post" ref={formRef} className="stack-form edit-form" onChange={schedule} noValidate>
        <CsrfInput />
        <input type="hidden" name="studio" value={studio.slug} />
        <input type="hidden" name="version" value={result.version} />
        <Field label={t("edit.title")} name="title" required maxLength={120} defaultValue={v("title")} error={e.title} />
        <div className="field-row">
          <SelectField label={t("result.kind")} name="kind" value={v("kind")} error={err(e.kind)} options={RESULT_KINDS.map((k) => [k, t(`kind.${k}` as MessageKey)])} />
          <SelectField
            label={t("studio.industry")}
            name="industry"
            value={v("industry")}
            error={err(e.industry)}
            options={industries.map((i) => [i.key, industryName(i, t.locale)])}
          />
          <SelectField
            label={t("result.status")}
            name="status"
            value={v("status")}
            error={err(e.status)}
            options={RESULT_STATUSES.map((s) => [s, t(`resultStatus.${s}` as MessageKey)])}
          />
          <Field label={t("result.year")} name="year" inputMode="numeric" defaultValue={v("year")} error={e.year} />
        </div>
        <Field label={t("result.tags")} name="tags" defaultValue={v("tags")} hint={t("edit.tagsHint")} error={e.tags} />
        <TextAreaField label={t("result.benefits")} name="benefits" rows={3} defaultValue={v("benefits")} hint={t("edit.linesHint")} error={e.benefits} />
        <TextAreaField label={t("result.adopters")} name="adopters" rows={2} defaultValue={v("adopters")} hint={t("edit.linesHint")} error={e.adopters} />
        <TextAreaField label={t("result.awards")} name="awards" rows={2} defaultValue={v("awards")} hint={t("edit.linesHint")} error={e.awards} />
        <fieldset className="field">
          <legend>{t("result.patents")}</legend>
          {studioPatents.length === 0 ? (
            <p className="hint">{t("edit.noPatents")}</p>
          ) : (
            <>
              <p className="hint">{t("edit.patentsHint")}</p>
              {studioPatents.map((p) => (
                <label key={p.number} className="check">
                  <input type="checkbox" name="patents" value={p.number} defaultChecked={chosen.has(p.number)} /> {p.title} <span className="muted small">{p.number}</span>
                </label>
              ))}
            </>
          )}
          {e.patents && <p className="field-error">{err(e.patents)}</p>}
        </fieldset>
        <fieldset className="field">
          <legend>{t("edit.visibility")}</legend>
          {(["public", "alliance"] as const).map((x) => (
            <label key={x} className="check">
              <input type="radio" name="visibility" value={x} defaultChecked={v("visibility") === x} /> {t(`edit.visibility.${x}`)}
            </label>
          ))}
        </fieldset>
        <BodyField name="body" label={t("edit.body")} hint={t("edit.bodyHint")} value={v("body")} error={e.body} onChange={schedule} />
        <div className="form-actions">
          <button type="submit" name="intent" value="publish" className="button" disabled={busy}>
            {result.published ? t("edit.publishChanges") : t("edit.publish")}
          </button>
          <AutosaveStatus fetcher={fetcher} dirty={dirty} />
          <Link to={`/results/${result.slug}/history`} className="muted">
            {t("edit.history")}
          </Link>
        </div>
      </Form>
    </div>
  );
}
