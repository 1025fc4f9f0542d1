import { FORMAT, type SerializedNode, type SerializedState } from "./nodes";
import { validateBody } from "./validate";

/**
 * A body as Markdown, for a spreadsheet cell: what a person edits in Excel and what the importer
 * turns back into Lexical (markdownToLexical). Close to the original, not exact — tables and
 * underline have no Markdown — so the importer keeps a stored body whose Markdown is unchanged.
 */
export function bodyToMarkdown(body: string | SerializedState): string {
  const check = validateBody(body);
  if (!check.ok) return "";
  return blocks(check.state.root.children ?? [], "")
    .join("\n\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function blocks(nodes: SerializedNode[], indent: string): string[] {
  return nodes.map((n) => block(n, indent)).filter((s) => s !== "");
}

function block(n: SerializedNode, indent: string): string {
  switch (n.type) {
    case "heading": {
      const level = Number(String(n.tag ?? "h2").slice(1)) || 2;
      return `${"#".repeat(Math.min(6, level))} ${inline(n.children ?? [])}`;
    }
    case "quote":
      return inline(n.children ?? [])
        .split("\n")
        .map((l) => `> ${l}`)
        .join("\n");
    case "list":
      return list(n, indent);
    case "code":
      return ["```" + (typeof n.language === "string" ? n.language : ""), inline(n.children ?? [], true), "```"].join("\n");
    case "table":
      return (n.children ?? [])
        .map(
          (row) =>
            `| ${(row.children ?? [])
              .map((c) =>
                blocks(c.children ?? [], "")
                  .join(" ")
                  .replace(/\|/g, "\\|"),
              )
              .join(" | ")} |`,
        )
        .join("\n");
    case "horizontalrule":
      return "---";
    default:
      return inline(n.children ?? []);
  }
}

function list(n: SerializedNode, indent: string): string {
  const ordered = n.listType === "number";
  let i = Number(n.start) || 1;
  const lines: string[] = [];
  for (const item of n.children ?? []) {
    const kids = item.children ?? [];
    if (kids.length === 1 && kids[0].type === "list") {
      lines.push(list(kids[0], `${indent}    `));
      continue;
    }
    const check = n.listType === "check" ? (item.checked ? "[x] " : "[ ] ") : "";
    const marker = ordered ? `${i++}. ` : "- ";
    const text = kids.filter((k) => k.type !== "list");
    lines.push(`${indent}${marker}${check}${inline(text)}`);
    for (const nested of kids.filter((k) => k.type === "list")) lines.push(list(nested, `${indent}    `));
  }
  return lines.join("\n");
}

function inline(nodes: SerializedNode[], raw = false): string {
  return nodes
    .map((n) => {
      switch (n.type) {
        case "text":
        case "code-highlight":
          return raw ? String(n.text ?? "") : formatted(String(n.text ?? ""), Number(n.format) || 0);
        case "linebreak":
          return "\n";
        case "tab":
          return "\t";
        case "link":
        case "autolink":
          return `[${inline(n.children ?? [])}](${String(n.url ?? "")})`;
        case "image":
          return `![${String(n.altText ?? "")}](${String(n.src ?? "")})`;
        default:
          return n.children ? blocks([n], "").join("") : "";
      }
    })
    .join("");
}

function formatted(text: string, format: number): string {
  if (!text) return "";
  if (format & FORMAT.code) return `\`${text}\``;
  let t = text;
  if (format & FORMAT.strikethrough) t = `~~${t}~~`;
  if (format & FORMAT.italic) t = `*${t}*`;
  if (format & FORMAT.bold) t = `**${t}**`;
  return t;
}
