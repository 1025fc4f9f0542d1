import { useLocation } from "@remix-run/react";
import { useT } from "~/i18n/use-t";

/**
 * 导出 Excel / 导出 CSV for a list page: the export of the same list with the page's query string,
 * so the file holds what the filters show. Plain links: the browser downloads the file.
 */
export function ExportLinks({ list }: { list: string }) {
  const t = useT();
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  params.delete("page"); // the export holds every page of the list
  const q = params.size ? `?${params}` : "";
  return (
    <p className="export-links no-print">
      <span className="muted">{t("sheets.export.label")}</span>{" "}
      <a href={`/export/${list}.xlsx${q}`} download>
        {t("sheets.export.xlsx")}
      </a>
      {" · "}
      <a href={`/export/${list}.csv${q}`} download>
        {t("sheets.export.csv")}
      </a>
    </p>
  );
}
