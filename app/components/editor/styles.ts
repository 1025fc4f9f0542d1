// The classic compiler turns a CSS import into its URL; routes with the editor add it to `links`.
import href from "~/styles/editor.css";

export const editorStylesHref = href;
