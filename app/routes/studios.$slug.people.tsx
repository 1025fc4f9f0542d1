import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field, SelectField } from "~/components/forms";
import { PageHead, Section } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { editStudioPeople, PersonEditSchema, studioPeopleForEditing } from "~/models/person.server";
import { requireStudioAdmin } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { parseForm } from "~/utils/forms.server";
import { readForm, requireFound } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "people.edit.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const studio = await requireFound(await studioPeopleForEditing(params.slug ?? ""));
  await requireStudioAdmin(request, studio.id);
  return {
    studio: { slug: studio.slug, name: studio.name },
    people: studio.people.map((p) => ({ id: p.id, slug: p.slug, name: p.name, role: p.role, honours: p.honours, skills: p.skills, bio: p.bio })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const studio = await requireFound(await studioPeopleForEditing(params.slug ?? ""));
  const user = await requireStudioAdmin(request, studio.id);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = parseForm(PersonEditSchema, form);
  const person = String(form.get("person") ?? "");
  if (!parsed.ok) return data({ done: false, person, errors: parsed.errors as Record<string, string>, values: parsed.values }, { status: 400 });
  const outcome = await editStudioPeople(user.id, studio.id, parsed.data);
  if (outcome === "duplicate") return data({ done: false, person, errors: { name: "people.edit.duplicate" } as Record<string, string>, values: parsed.values }, { status: 400 });
  if (outcome === "not-found") return data({ done: false, person, errors: { _form: "people.edit.notFound" } as Record<string, string>, values: parsed.values }, { status: 404 });
  return { done: true, person, errors: null as Record<string, string> | null, values: {} as Record<string, string> };
}

export default function StudioPeopleRoute() {
  const { studio, people } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const adding = result && !result.person;
  return (
    <>
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to={`/studios/${studio.slug}`}>{studio.name}</Link>
      </nav>
      <PageHead title={t("people.edit.title")} lead={t("people.edit.lead")} />
      <Section title={t("people.edit.add")} id="add">
        <Form method="post" className="form">
          <CsrfInput />
          {adding && <ErrorSummary errors={result.errors} />}
          <Field label={t("people.edit.name")} name="name" defaultValue={adding ? result.values.name : ""} error={adding ? result.errors?.name : undefined} maxLength={40} />
          <SelectField
            label={t("people.role")}
            name="role"
            value={adding ? (result.values.role ?? "member") : "member"}
            options={[
              ["member", t("people.role.member")],
              ["leader", t("people.role.leader")],
            ]}
          />
          <button className="button" name="intent" value="add">
            {t("people.edit.add")}
          </button>
        </Form>
      </Section>
      {people.map((p) => {
        const mine = result && result.person === p.id ? result : null;
        const value = (k: "honours" | "skills" | "bio", fallback: string) => (mine && !mine.done ? (mine.values[k] ?? fallback) : fallback);
        return (
          <Section key={p.id} title={p.name} id={`person-${p.slug}`}>
            <Form method="post" className="form" aria-label={p.name}>
              <CsrfInput />
              <input type="hidden" name="person" value={p.id} />
              {mine && <ErrorSummary errors={mine.errors} />}
              {mine?.done && <p role="status">{t("people.edit.saved")}</p>}
              <div className="field">
                <label htmlFor={`honours-${p.id}`}>{t("people.honours")}</label>
                <textarea id={`honours-${p.id}`} name="honours" rows={2} defaultValue={value("honours", p.honours.join("\n"))} aria-describedby={`h-${p.id}`} />
                <p id={`h-${p.id}`} className="hint">
                  {t("people.edit.listHint")}
                </p>
              </div>
              <div className="field">
                <label htmlFor={`skills-${p.id}`}>{t("people.skills")}</label>
                <textarea id={`skills-${p.id}`} name="skills" rows={2} defaultValue={value("skills", p.skills.join("、"))} />
              </div>
              <div className="field">
                <label htmlFor={`bio-${p.id}`}>{t("people.bio")}</label>
                <textarea id={`bio-${p.id}`} name="bio" rows={3} maxLength={1000} defaultValue={value("bio", p.bio)} />
              </div>
              <button className="button" name="intent" value="save">
                {t("people.edit.save")}
              </button>{" "}
              <button className="button secondary" name="intent" value="remove">
                {t("people.edit.remove")}
              </button>{" "}
              <Link to={`/people/${p.slug}`}>{t("people.edit.view")}</Link>
            </Form>
          </Section>
        );
      })}
    </>
  );
}
