import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { ProjectSchema } from "~/models/form-schemas.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field, SelectField, TextAreaField, useErrorText } from "~/components/forms";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { allianceWithMembers, createProject, mayProposeProject, needChoices, projectUrl } from "~/models/alliance.server";
import { requireUser } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { parseForm } from "~/utils/forms.server";
import { forbidden, readForm, refusal, requireFound } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import { siteOrigin } from "~/utils/origin.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "project.new");

async function load(slug: string) {
  return requireFound(await allianceWithMembers(slug));
}

async function requireProposer(request: Request, members: { studioId: string }[]) {
  const user = await requireUser(request);
  if (!mayProposeProject(user, members)) throw forbidden("refused.projectProposer");
  return user;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const a = await load(params.slug ?? "");
  const user = await requireProposer(request, a.members);
  if (a.dissolvedAt) throw refusal(409, "conflict", "refused.allianceDissolved");
  return {
    alliance: { slug: a.slug, name: a.name },
    studios: a.members.map((m) => ({ slug: m.studio.slug, name: m.studio.name, enterprise: m.studio.enterprise.name })),
    needs: await needChoices(user),
    need: new URL(request.url).searchParams.get("need") ?? "",
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const a = await load(params.slug ?? "");
  const user = await requireProposer(request, a.members);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = parseForm(ProjectSchema, form, ["partners", "milestoneTitle", "milestoneDue"]);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const milestones = parsed.data.milestoneTitle.map((title, i) => ({ title, dueOn: parsed.data.milestoneDue[i] ?? "" })).filter((m) => m.title);
  const missingDate = milestones.findIndex((m) => !m.dueOn);
  if (missingDate >= 0) return data({ errors: { milestoneDue: "form.date" } as Record<string, string>, values: parsed.values }, { status: 400 });
  const out = await createProject(a, { ...parsed.data, milestones }, user, siteOrigin(request));
  if (!out.ok) {
    if (out.status !== 400) throw out.status === 403 ? forbidden(out.reason) : refusal(409, "conflict", out.reason);
    return data({ errors: out.errors, values: parsed.values }, { status: 400 });
  }
  throw redirect(projectUrl(a.slug, out.slug));
}

export default function NewProjectRoute() {
  const { alliance, studios, needs, need } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = useT();
  const err = useErrorText();
  const v = failed?.values ?? {};
  const [rows, setRows] = useState(Math.max(1, (v.milestoneTitle ?? "").split("\n").length));
  const titles = (v.milestoneTitle ?? "").split("\n");
  const dues = (v.milestoneDue ?? "").split("\n");
  const partners = new Set((v.partners ?? "").split("\n"));
  return (
    <div className="edit-page">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to={`/alliances/${alliance.slug}`}>{alliance.name}</Link>
      </nav>
      <PageHead title={t("project.new")} />
      <ErrorSummary errors={failed?.errors} />
      <Form method="post" className="stack-form" noValidate>
        <CsrfInput />
        <Field label={t("project.title")} name="title" required maxLength={100} defaultValue={v.title} error={failed?.errors.title} />
        <TextAreaField label={t("project.goals")} name="goals" rows={3} defaultValue={v.goals} error={failed?.errors.goals} />
        <SelectField
          label={t("project.lead")}
          name="lead"
          value={v.lead ?? studios[0]?.slug ?? ""}
          error={err(failed?.errors.lead)}
          options={studios.map((s) => [s.slug, `${s.name}（${s.enterprise}）`])}
        />
        <SelectField
          label={t("project.need")}
          name="need"
          value={v.need ?? need}
          error={err(failed?.errors.need)}
          options={[["", t("project.needNone")], ...needs.map((n): [string, string] => [n.slug, `${n.title}（${n.enterprise}）`])]}
        />
        <fieldset className="field">
          <legend>{t("project.partners")}</legend>
          {studios.map((s) => (
            <label key={s.slug} className="check">
              <input type="checkbox" name="partners" value={s.slug} defaultChecked={partners.has(s.slug)} /> {s.name} <span className="muted small">{s.enterprise}</span>
            </label>
          ))}
        </fieldset>
        <fieldset className="field">
          <legend>{t("project.milestones")}</legend>
          {Array.from({ length: rows }, (_, i) => (
            <div key={i} className="field-row">
              <Field label={`${t("project.milestoneTitle")} ${i + 1}`} name="milestoneTitle" defaultValue={titles[i] ?? ""} />
              <Field label={t("project.due")} name="milestoneDue" type="date" defaultValue={dues[i] ?? ""} error={i === 0 ? failed?.errors.milestoneDue : undefined} />
            </div>
          ))}
          <button type="button" className="button secondary" onClick={() => setRows((n) => n + 1)}>
            {t("project.addMilestone")}
          </button>
        </fieldset>
        <button type="submit" className="button">
          {t("project.new")}
        </button>
      </Form>
    </div>
  );
}
