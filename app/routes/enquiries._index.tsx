import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { EnquiryList } from "~/components/enquiry";
import { PageHead } from "~/components/ui";
import { useT } from "~/i18n/use-t";
import { countNewEnquiries, enquiryRow, listEnquiries } from "~/models/enquiry.server";
import { isCoordinator, requireUser } from "~/utils/auth.server";
import { forbidden } from "~/utils/http.server";
import { pageMeta } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageMeta(matches, "enquiry.listTitle");

/** 需求对接: every enquiry for coordinators, their studios' for those who act for a studio. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [list, newCount] = await Promise.all([listEnquiries(user), countNewEnquiries(user)]);
  if (!list) throw forbidden("enquiry.refused");
  return { items: list.map(enquiryRow), newCount: newCount ?? 0, coordinator: isCoordinator(user) };
}

export default function EnquiriesRoute() {
  const { items, newCount, coordinator } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="narrow wide">
      <PageHead title={t("enquiry.listTitle")} lead={t(coordinator ? "enquiry.listLeadCoordinator" : "enquiry.listLead")} />
      {items.length > 0 && <p className="count">{t("enquiry.newCount", { n: newCount })}</p>}
      <EnquiryList items={items} />
    </div>
  );
}
