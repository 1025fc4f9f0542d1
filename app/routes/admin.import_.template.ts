import type { LoaderFunctionArgs } from "@remix-run/node";
import { sheetTemplate } from "~/models/sheets/import.server";
import { requireCoordinator } from "~/utils/auth.server";

// /admin/import/template: the import template (.xlsx) for coordinators and site admins.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireCoordinator(request);
  const bytes = await sheetTemplate();
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="import-template.xlsx"; filename*=UTF-8''${encodeURIComponent("导入模板.xlsx")}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
