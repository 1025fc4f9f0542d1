import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { editorStylesHref } from "~/components/editor/styles";
import { PatentForm } from "~/components/patent-form";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { publishPatent } from "~/models/editing.server";
import { requireStudioEditor } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { readForm, requireFound } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import { findStudio } from "~/models/studio.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: editorStylesHref }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "edit.newPatent");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const studio = await requireFound(await findStudio(params.slug ?? ""));
  await requireStudioEditor(request, studio.id);
  return { studio: { slug: studio.slug, name: studio.name } };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const studio = await requireFound(await findStudio(params.slug ?? ""));
  const user = await requireStudioEditor(request, studio.id);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const outcome = await publishPatent(form, { id: studio.id, slug: studio.slug }, null, user.id);
  if (outcome.ok) throw redirect(`/patents/${outcome.slug}?published=1`);
  return data(outcome, { status: outcome.status });
}

export default function NewPatentRoute() {
  const { studio } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = useT();
  const busy = useNavigation().state === "submitting";
  const values = failed && "values" in failed ? failed.values : {};
  return (
    <div className="edit-page">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to={`/studios/${studio.slug}`}>{studio.name}</Link>
      </nav>
      <PageHead title={t("edit.newPatent")} />
      <PatentForm
        studioSlug={studio.slug}
        version={0}
        autosave={false}
        busy={busy}
        errors={failed && "errors" in failed ? failed.errors : null}
        values={{
          number: values.number ?? "",
          title: values.title ?? "",
          kind: values.kind ?? "utility-model",
          status: values.status ?? "filed",
          filed: values.filed ?? "",
          granted: values.granted ?? "",
          body: values.body ?? "",
        }}
      />
    </div>
  );
}
