import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { HistoryPage } from "~/components/history";
import { restoreBody } from "~/models/editing.server";
import { historyData } from "~/models/history.server";
import { requireStudioEditor } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import { readForm, refusal, requireFound } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";
import { findStudio } from "~/models/studio.server";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "edit.history");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const r = await requireFound(await findStudio(params.slug ?? ""));
  await requireStudioEditor(request, r.id);
  const view = Number(new URL(request.url).searchParams.get("v")) || null;
  return historyData("studio", r.id, r.name, `/studios/${r.slug}`, r.version, view);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const r = await requireFound(await findStudio(params.slug ?? ""));
  const user = await requireStudioEditor(request, r.id);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const version = Number(form.get("version"));
  if (form.get("intent") !== "restore" || !Number.isInteger(version) || !(await restoreBody("studio", r.id, version, user.id))) {
    throw refusal(400, "bad_request", "refused.versionNotRestorable", "version");
  }
  throw redirect(`?restored=${version}`);
}

export default function StudioHistoryRoute() {
  return <HistoryPage data={useLoaderData<typeof loader>()} />;
}
