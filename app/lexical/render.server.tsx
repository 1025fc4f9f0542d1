import { createElement, Fragment, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { FORMAT, isSafeImageSrc, isSafeUrl, type SerializedNode, type SerializedState } from "./nodes";
import { isNodeType, type NodeType } from "./registry";
import { validateBody } from "./validate";

/**
 * Renders a body to HTML on the server, one renderer per type of the node registry. React escapes every text and
 * attribute, and only the elements below are ever produced, so stored bodies cannot inject markup.
 * Pages receive the HTML string, which keeps the renderer (and the JSON) out of the browser bundle.
 */
export function renderBodyHtml(body: string | SerializedState): string {
  const check = validateBody(body);
  if (!check.ok) return "";
  return renderToStaticMarkup(<>{renderChildren(check.state.root)}</>);
}

function renderChildren(node: SerializedNode): ReactNode[] {
  return (node.children ?? []).map((child, i) => renderNode(child, i));
}

type Render = (node: SerializedNode, key: number, children: ReactNode[]) => ReactNode;

// One entry per type of the node registry (registry.ts); the type makes a missing entry a compile error.
const RENDER: { [T in NodeType]: Render } = {
  root: (_node, key, children) => <Fragment key={key}>{children}</Fragment>,
  paragraph: (node, key, children) => (
    <p key={key} style={align(node)}>
      {children.length ? children : <br />}
    </p>
  ),
  heading: (node, key, children) => createElement(String(node.tag), { key, style: align(node) }, children),
  quote: (_node, key, children) => <blockquote key={key}>{children}</blockquote>,
  list: (node, key, children) =>
    node.listType === "number" ? (
      <ol key={key} start={Number(node.start) || 1}>
        {children}
      </ol>
    ) : (
      <ul key={key} className={node.listType === "check" ? "checklist" : undefined}>
        {children}
      </ul>
    ),
  listitem: (node, key, children) => {
    const nested = node.children?.length === 1 && node.children[0].type === "list";
    return (
      <li key={key} className={nested ? "nested" : undefined} aria-checked={typeof node.checked === "boolean" ? node.checked : undefined}>
        {children}
      </li>
    );
  },
  link: renderLink,
  autolink: renderLink,
  code: (_node, key, children) => (
    <pre key={key}>
      <code>{children}</code>
    </pre>
  ),
  table: (_node, key, children) => (
    <div key={key} className="table-scroll">
      <table>
        <tbody>{children}</tbody>
      </table>
    </div>
  ),
  tablerow: (_node, key, children) => <tr key={key}>{children}</tr>,
  tablecell: (node, key, children) => {
    const Cell = Number(node.headerState) ? "th" : "td";
    return (
      <Cell key={key} colSpan={Number(node.colSpan) > 1 ? Number(node.colSpan) : undefined} rowSpan={Number(node.rowSpan) > 1 ? Number(node.rowSpan) : undefined}>
        {children}
      </Cell>
    );
  },
  text: renderText,
  "code-highlight": renderText,
  linebreak: (_node, key) => <br key={key} />,
  tab: (_node, key) => <Fragment key={key}>{"\t"}</Fragment>,
  image: (node, key) =>
    isSafeImageSrc(node.src) ? (
      <img key={key} src={node.src} alt={String(node.altText ?? "")} loading="lazy" width={Number(node.width) || undefined} height={Number(node.height) || undefined} />
    ) : null,
};

function renderNode(node: SerializedNode, key: number): ReactNode {
  return isNodeType(node.type) ? RENDER[node.type](node, key, renderChildren(node)) : null;
}

function align(node: SerializedNode) {
  return typeof node.format === "string" && node.format ? { textAlign: node.format as "left" } : undefined;
}

function renderLink(node: SerializedNode, key: number, children: ReactNode[]): ReactNode {
  if (!isSafeUrl(node.url)) return <Fragment key={key}>{children}</Fragment>;
  const external = /^https?:/i.test(String(node.url));
  return (
    <a key={key} href={String(node.url)} title={typeof node.title === "string" ? node.title : undefined} rel={external ? "noopener noreferrer nofollow" : undefined}>
      {children}
    </a>
  );
}

function renderText(node: SerializedNode, key: number): ReactNode {
  return <Fragment key={key}>{formatText(String(node.text ?? ""), Number(node.format) || 0)}</Fragment>;
}

function formatText(text: string, format: number): ReactNode {
  let out: ReactNode = text;
  if (format & FORMAT.code) out = <code>{out}</code>;
  if (format & FORMAT.bold) out = <strong>{out}</strong>;
  if (format & FORMAT.italic) out = <em>{out}</em>;
  if (format & FORMAT.underline) out = <u>{out}</u>;
  if (format & FORMAT.strikethrough) out = <s>{out}</s>;
  if (format & FORMAT.subscript) out = <sub>{out}</sub>;
  if (format & FORMAT.superscript) out = <sup>{out}</sup>;
  if (format & FORMAT.highlight) out = <mark>{out}</mark>;
  return out;
}
