import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { editorStylesHref } from "~/components/editor/styles";
import { NeedForm } from "~/components/need-form";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { submittedValues } from "~/models/review.server";
import { listIndustries } from "~/models/industry.server";
import { editNeed, getNeedForEdit } from "~/models/need-loop.server";
import { requireUser } from "~/utils/auth.server";
import { requireCsrf } from "~/utils/csrf.server";
import type { MessageKey } from "~/i18n/messages";
import { forbidden, readForm, requireFound } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: editorStylesHref }];
export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "needForm.edit");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const found = await requireFound(await getNeedForEdit(user, params.slug ?? ""));
  if (found === "forbidden") throw forbidden("need.error.notRequester");
  const n = found;
  const industries = await listIndustries();
  // a change waiting for review (or returned) reopens as it was sent
  const submitted = (await submittedValues("need", n.id, null)) as Record<string, string> | null;
  return {
    slug: n.slug,
    status: n.status,
    version: n.version,
    values: {
      title: n.title,
      industry: n.industryKey,
      tags: n.tags.join("，"),
      district: n.district,
      timeframe: n.timeframe,
      contactName: n.contactName,
      contactPhone: n.contactPhone,
      visibility: n.visibility,
      body: n.body,
      ...submitted,
    },
    industries: industries.map((i) => ({ key: i.key, nameZh: i.nameZh, nameEn: i.nameEn })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await requireCsrf(request, form);
  const outcome = await editNeed(user, params.slug ?? "", form);
  if (outcome.ok) throw redirect(`/needs/${outcome.slug}?saved=1`);
  if (outcome.status === 403) throw forbidden(outcome.errors._form as MessageKey);
  return data(outcome, { status: outcome.status });
}

export default function EditNeedRoute() {
  const d = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = useT();
  const busy = useNavigation().state === "submitting";
  const typed = failed && !failed.ok ? failed.values : null;
  return (
    <div className="edit-page">
      <nav aria-label="breadcrumb" className="crumbs">
        <Link to={`/needs/${d.slug}`}>{d.values.title}</Link>
      </nav>
      <PageHead title={t("needForm.edit")} />
      <NeedForm
        version={d.version}
        draftable={d.status === "draft"}
        busy={busy}
        industries={d.industries}
        errors={failed && !failed.ok ? failed.errors : null}
        values={typed ? { ...d.values, ...typed } : d.values}
      />
    </div>
  );
}
