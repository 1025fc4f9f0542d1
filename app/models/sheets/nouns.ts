import type { MessageKey } from "~/i18n/messages";

// The nouns a spreadsheet can import, in the order they are written (people need their studios),
// and the name of each one's sheet. Free of server code: the import page lists them too.
export const IMPORT_NOUNS = ["studios", "people", "needs"] as const;
export type ImportNoun = (typeof IMPORT_NOUNS)[number];

export const NOUN_SHEET: Record<ImportNoun, MessageKey> = { studios: "sheets.sheet.studios", people: "sheets.sheet.people", needs: "sheets.sheet.needs" };
