import { createElement, Fragment, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { FORMAT, isSafeImageSrc, isSafeUrl, type SerializedNode, type SerializedState } from "./nodes";
import { validateBody } from "./validate";

/**
 * Renders a body to HTML on the server from the node whitelist. React escapes every text and
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

function renderNode(node: SerializedNode, key: number): ReactNode {
  const children = renderChildren(node);
  const align = typeof node.format === "string" && node.format ? { textAlign: node.format as "left" } : undefined;
  switch (node.type) {
    case "paragraph":
      return (
        <p key={key} style={align}>
          {children.length ? children : <br />}
        </p>
      );
    case "heading":
      return createElement(String(node.tag), { key, style: align }, children);
    case "quote":
      return <blockquote key={key}>{children}</blockquote>;
    case "list":
      return node.listType === "number" ? (
        <ol key={key} start={Number(node.start) || 1}>
          {children}
        </ol>
      ) : (
        <ul key={key} className={node.listType === "check" ? "checklist" : undefined}>
          {children}
        </ul>
      );
    case "listitem": {
      const nested = node.children?.length === 1 && node.children[0].type === "list";
      return (
        <li key={key} className={nested ? "nested" : undefined} aria-checked={typeof node.checked === "boolean" ? node.checked : undefined}>
          {children}
        </li>
      );
    }
    case "link":
    case "autolink": {
      if (!isSafeUrl(node.url)) return <Fragment key={key}>{children}</Fragment>;
      const external = /^https?:/i.test(String(node.url));
      return (
        <a key={key} href={String(node.url)} title={typeof node.title === "string" ? node.title : undefined} rel={external ? "noopener noreferrer nofollow" : undefined}>
          {children}
        </a>
      );
    }
    case "code":
      return (
        <pre key={key}>
          <code>{children}</code>
        </pre>
      );
    case "table":
      return (
        <div key={key} className="table-scroll">
          <table>
            <tbody>{children}</tbody>
          </table>
        </div>
      );
    case "tablerow":
      return <tr key={key}>{children}</tr>;
    case "tablecell": {
      const Cell = Number(node.headerState) ? "th" : "td";
      return (
        <Cell key={key} colSpan={Number(node.colSpan) > 1 ? Number(node.colSpan) : undefined} rowSpan={Number(node.rowSpan) > 1 ? Number(node.rowSpan) : undefined}>
          {children}
        </Cell>
      );
    }
    case "text":
    case "code-highlight":
      return <Fragment key={key}>{formatText(String(node.text ?? ""), Number(node.format) || 0)}</Fragment>;
    case "linebreak":
      return <br key={key} />;
    case "tab":
      return <Fragment key={key}>{"\t"}</Fragment>;
    case "horizontalrule":
      return <hr key={key} />;
    case "image":
      return isSafeImageSrc(node.src) ? (
        <img key={key} src={node.src} alt={String(node.altText ?? "")} loading="lazy" width={Number(node.width) || undefined} height={Number(node.height) || undefined} />
      ) : null;
    default:
      return null;
  }
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
