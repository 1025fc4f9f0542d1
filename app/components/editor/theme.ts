import type { EditorThemeClasses } from "lexical";

// Class names for the editing surface. The surface also carries `rich-text`, so headings, quotes,
// lists, links and tables look as they do on the rendered page (app/lexical/render.server.tsx);
// these classes only add what editing needs (selection, spacing inside contenteditable).
export const editorTheme: EditorThemeClasses = {
  paragraph: "editor-paragraph",
  heading: { h1: "editor-heading", h2: "editor-heading", h3: "editor-heading", h4: "editor-heading", h5: "editor-heading", h6: "editor-heading" },
  quote: "editor-quote",
  list: {
    ul: "editor-list",
    ol: "editor-list",
    listitem: "editor-listitem",
    nested: { listitem: "nested" },
    checklist: "checklist",
  },
  link: "editor-link",
  text: {
    bold: "editor-bold",
    italic: "editor-italic",
    underline: "editor-underline",
    strikethrough: "editor-strikethrough",
    underlineStrikethrough: "editor-underline editor-strikethrough",
    code: "editor-code-text",
    highlight: "editor-highlight",
  },
  code: "editor-code",
  table: "editor-table",
  tableScrollableWrapper: "table-scroll",
  tableRow: "editor-table-row",
  tableCell: "editor-table-cell",
  tableCellHeader: "editor-table-cell-header",
  tableSelection: "editor-table-selection",
  tableCellSelected: "editor-table-cell-selected",
  image: "editor-image",
};
