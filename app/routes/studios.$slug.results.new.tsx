import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { NewResultSchema } from "~/models/form-schemas.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf";
import { ErrorSummary, Field } from "~/components/forms";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { createResultDraft } from "~/models/editing.server";
import { requireStudioEditor } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { parseForm } from "~/utils/forms.server";
import { readForm, requireFound } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import { findStudio } from "~/models/studio.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "edit.newResult");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const studio = await requireFound(await findStudio(params.slug ?? ""));
  await requireStudioEditor(request, studio.id);
  return { studio: { slug: studio.slug, name: studio.name } };
}

/** Starts a result as an unpublished draft and opens it in the editor. */
export async function action({ request, params }: ActionFunctionArgs) {
  const studio = await requireFound(await findStudio(params.slug ?? ""));
  await requireStudioEditor(request, studio.id);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const parsed = parseForm(NewResultSchema, form);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await createResultDraft(studio, parsed.data.title);
  throw redirect(`/results/${result.slug}/edit`);
}

export default function NewResultRoute() {
  const { studio } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="narrow">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to={`/studios/${studio.slug}`}>{studio.name}</Link>
      </nav>
      <PageHead title={t("edit.newResult")} />
      <ErrorSummary errors={failed?.errors} />
      <Form method="post" className="stack-form" noValidate>
        <CsrfInput />
        <Field label={t("edit.title")} name="title" required maxLength={120} defaultValue={failed?.values.title} error={failed?.errors.title} />
        <button type="submit" className="button">
          {t("edit.edit")} →
        </button>
      </Form>
    </div>
  );
}
