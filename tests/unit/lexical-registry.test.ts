import { LineBreakNode, ParagraphNode, RootNode, TabNode, TextNode } from "lexical";
import { describe, expect, test } from "vitest";
import { editorNodes } from "~/components/editor/nodes";
import { markdownToLexical } from "~/lexical/markdown.server";
import type { SerializedNode } from "~/lexical/nodes";
import { NODE_REGISTRY, NODE_TYPES, packageNodes, type NodeType } from "~/lexical/registry";
import { renderBodyHtml } from "~/lexical/render.server";
import { validateBody } from "~/lexical/validate";

// The node registry is the one list of body node types: the editor, the Markdown importer, the
// validator and the renderer each derive theirs from it. A type one of them lacks fails here.

const text = (t: string, type = "text"): SerializedNode => ({ type, text: t, format: 0, version: 1 });
const el = (type: string, children: SerializedNode[], extra: Record<string, unknown> = {}): SerializedNode => ({ type, children, version: 1, ...extra });
const p = (...children: SerializedNode[]) => el("paragraph", children);
const body = (...children: SerializedNode[]) => ({ root: el("root", children) });

// A body holding each type, and what its HTML must contain. Typed by the registry: a new type
// without a sample is a compile error, and then a failure below until it validates and renders.
const SAMPLES: { [T in NodeType]: { body: { root: SerializedNode }; html: string } } = {
  root: { body: body(p(text("空"))), html: "<p>空</p>" },
  paragraph: { body: body(p(text("段落"))), html: "<p>段落</p>" },
  text: { body: body(p(text("文字"))), html: "文字" },
  linebreak: { body: body(p(text("上"), { type: "linebreak", version: 1 }, text("下"))), html: "上<br/>下" },
  tab: { body: body(p(text("甲"), { type: "tab", version: 1 }, text("乙"))), html: "甲\t乙" },
  heading: { body: body(el("heading", [text("标题")], { tag: "h2" })), html: "<h2>标题</h2>" },
  quote: { body: body(el("quote", [text("引文")])), html: "<blockquote>引文</blockquote>" },
  list: { body: body(el("list", [el("listitem", [text("一")])], { listType: "number" })), html: '<ol start="1"><li>一</li></ol>' },
  listitem: { body: body(el("list", [el("listitem", [text("项")])], { listType: "bullet" })), html: "<li>项</li>" },
  link: { body: body(p(el("link", [text("详情")], { url: "https://example.cn/a" }))), html: 'href="https://example.cn/a"' },
  autolink: { body: body(p(el("autolink", [text("example.cn")], { url: "https://example.cn/" }))), html: 'href="https://example.cn/"' },
  code: { body: body(el("code", [text("G01 X10", "code-highlight")])), html: "<pre><code>G01 X10</code></pre>" },
  "code-highlight": { body: body(el("code", [text("M30", "code-highlight")])), html: "M30" },
  table: { body: body(el("table", [el("tablerow", [el("tablecell", [p(text("格"))])])])), html: "<table><tbody><tr><td><p>格</p></td></tr></tbody></table>" },
  tablerow: { body: body(el("table", [el("tablerow", [el("tablecell", [p(text("行"))])])])), html: "<tr>" },
  tablecell: { body: body(el("table", [el("tablerow", [el("tablecell", [p(text("表头"))], { headerState: 1 })])])), html: "<th><p>表头</p></th>" },
  image: { body: body(p({ type: "image", version: 1, src: "/uploads/a.png", altText: "样机" })), html: '<img src="/uploads/a.png" alt="样机"' },
};

describe("the Lexical node registry", () => {
  test("the editor registers exactly the registry's non-core types, each class of its own type", () => {
    const registered = editorNodes.map((klass) => klass.getType()).sort();
    const expected = NODE_TYPES.filter((t) => !("core" in NODE_REGISTRY[t].source)).sort();
    expect(registered).toEqual(expected);
  });

  test("the core types are Lexical's own nodes", () => {
    const core = NODE_TYPES.filter((t) => "core" in NODE_REGISTRY[t].source).sort();
    expect(core).toEqual([RootNode, ParagraphNode, TextNode, LineBreakNode, TabNode].map((k) => k.getType()).sort());
  });

  test("the Markdown importer is handed package classes whose type is the registry's", async () => {
    const nodes = packageNodes({ markdown: true });
    expect(nodes.map((n) => n.type)).toEqual(expect.arrayContaining(["heading", "quote", "list", "listitem", "link", "code"]));
    for (const n of nodes) {
      const klass = ((await import(n.package)) as Record<string, { getType(): string }>)[n.export];
      expect(klass?.getType(), `${n.package} ${n.export}`).toBe(n.type);
    }
  });

  test("Markdown converts into registry types only, and every Markdown type survives validation", () => {
    const r = markdownToLexical(["## 标题", "", "> 引文", "", "- 一", "- 二", "", "1. 甲", "", "[详情](https://example.cn/a)", "", "```", "G01 X10", "```"].join("\n"));
    if (!r.ok) throw new Error(r.message);
    const seen = new Set<string>();
    const walk = (n: SerializedNode) => {
      seen.add(n.type);
      n.children?.forEach(walk);
    };
    walk(r.state.root);
    const markdownTypes = NODE_TYPES.filter((t) => NODE_REGISTRY[t].markdown);
    expect(markdownTypes).toEqual(expect.arrayContaining([...seen]));
    expect([...seen]).toEqual(expect.arrayContaining(["heading", "quote", "list", "listitem", "link", "code"]));
  });

  test.each(NODE_TYPES)("the validator accepts and the renderer draws %s", (type) => {
    const sample = SAMPLES[type];
    const check = validateBody(sample.body);
    if (!check.ok) throw new Error(`${type}: ${check.message}`);
    expect(renderBodyHtml(check.state)).toContain(sample.html);
  });

  test("a type outside the registry is refused and renders nothing", () => {
    // horizontalrule was once on the whitelist though neither the editor nor the importer registers it
    for (const type of ["horizontalrule", "html", "script"]) {
      const input = body(p(text("前")), { type, version: 1, children: [] });
      expect(validateBody(input)).toMatchObject({ ok: false, message: `node type "${type}" is not allowed` });
      expect(renderBodyHtml(input)).toBe("");
    }
  });
});
