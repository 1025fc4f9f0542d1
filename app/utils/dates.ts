// Dates shown on pages rendered on the server and hydrated in the browser. toLocaleString() gives
// different text in Node (its own locale and time zone) and in the visitor's browser, which breaks
// hydration (React error 418). These give the same text everywhere: China Standard Time (UTC+8, no
// daylight saving), digits only, so both languages can use them.

const CST_OFFSET_MS = 8 * 3_600_000;

function cst(iso: string | Date): string {
  const ms = typeof iso === "string" ? Date.parse(iso) : iso.getTime();
  return Number.isNaN(ms) ? "" : new Date(ms + CST_OFFSET_MS).toISOString();
}

/** "2026-11-25 19:04" */
export const formatDateTime = (iso: string | Date) => cst(iso).slice(0, 16).replace("T", " ");

/** "2026-11-25" */
export const formatDate = (iso: string | Date) => cst(iso).slice(0, 10);
