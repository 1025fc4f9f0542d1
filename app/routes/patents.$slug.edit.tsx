import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { editorStylesHref } from "~/components/editor/styles";
import { EditNotices } from "~/components/forms";
import { PatentForm, type PatentFormValues } from "~/components/patent-form";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { publishPatent, readDraft, saveDraft } from "~/models/editing.server";
import { submittedValues } from "~/models/review.server";
import { requireStudioEditor } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { readForm, requireFound } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import { findPatent } from "~/models/patent.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: editorStylesHref }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "edit.editPatent");

async function load(slug: string) {
  return requireFound(await findPatent(slug));
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const p = await load(params.slug ?? "");
  await requireStudioEditor(request, p.studioId);
  // a change waiting for review (or returned) reopens as it was sent, unless the autosave is newer
  const draft = ((await submittedValues("patent", p.id, p.draftAt)) as Partial<PatentFormValues> | null) ?? readDraft(p.draft);
  const form: PatentFormValues = { number: p.number, title: p.title, kind: p.kind, status: p.status, filed: p.filedOn, granted: p.grantedOn ?? "", body: p.body };
  return {
    patent: { slug: p.slug, version: p.version },
    studio: { slug: p.studio.slug, name: p.studio.name },
    form: draft ? ({ ...form, ...draft } as PatentFormValues) : form,
    draftAt: draft ? (p.draftAt?.toISOString() ?? null) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const p = await load(params.slug ?? "");
  const user = await requireStudioEditor(request, p.studioId);
  const form = await readForm(request);
  await requireCsrf(request, form);
  if (form.get("intent") === "autosave") {
    const saved = await saveDraft("patent", p.id, form);
    return data(saved, { status: saved.ok ? 200 : 413 });
  }
  const outcome = await publishPatent(form, { id: p.studioId, slug: p.studio.slug }, p.slug, user.id);
  if (outcome.ok) throw redirect(`/patents/${outcome.slug}?published=1`);
  return data(outcome, { status: outcome.status });
}

export default function EditPatentRoute() {
  const { patent, studio, form, draftAt } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failed = actionData && "errors" in actionData ? actionData : null;
  const t = useT();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="edit-page">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to={`/studios/${studio.slug}`}>{studio.name}</Link> / <Link to={`/patents/${patent.slug}`}>{form.title}</Link>
      </nav>
      <PageHead title={t("edit.editPatent")} />
      <EditNotices draftAt={draftAt} errors={failed?.errors} stale={failed?.stale} summary={false} />
      <PatentForm
        studioSlug={studio.slug}
        version={patent.version}
        autosave
        busy={busy}
        historyHref={`/patents/${patent.slug}/history`}
        errors={failed?.errors}
        values={failed ? ({ ...form, ...failed.values } as PatentFormValues) : form}
      />
    </div>
  );
}
