import type { LoaderFunctionArgs } from "@remix-run/node";
import { getLocale, translator } from "~/i18n/locale.server";
import { EXPORT_LISTS, exportTables } from "~/models/sheets/export.server";
import { csvText, xlsxStream } from "~/models/sheets/workbook.server";
import { requireCoordinator } from "~/utils/auth.server";
import { formatDate } from "~/utils/dates";
import { forbidden, notFound } from "~/utils/http.server";
import { getUser } from "~/utils/session.server";

// /export/<list>.xlsx and /export/<list>.csv with the list page's query string: the list as a
// spreadsheet, holding what the same page shows this reader (app/models/sheets/export.server.ts).

const SHEET_NAME = {
  studios: "sheets.sheet.studios",
  results: "sheets.sheet.results",
  patents: "sheets.sheet.patents",
  needs: "sheets.sheet.needs",
  people: "sheets.sheet.people",
  alliances: "sheets.sheet.alliances",
  dashboard: "sheets.sheet.dashboard",
} as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const m = /^([a-z]+)\.(xlsx|csv)$/.exec(params.file ?? "");
  const list = EXPORT_LISTS.find((l) => l === m?.[1]);
  if (!m || !list) notFound();
  const format = m[2] as "xlsx" | "csv";
  // the dashboard is the coordinators' page: the same gate as the page (anonymous visitors log in first)
  const user = list === "dashboard" ? await requireCoordinator(request) : await getUser(request);
  const locale = await getLocale(request);
  const tables = await exportTables(list, user, new URL(request.url).searchParams, locale);
  if (!tables) throw forbidden("refused.coordinator");
  const day = formatDate(new Date());
  const name = `${translator(locale)(SHEET_NAME[list])}-${day}.${format}`;
  const headers = {
    "Content-Type": format === "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${list}-${day}.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
  };
  return new Response(format === "xlsx" ? xlsxStream(tables) : csvText(tables), { headers });
}
