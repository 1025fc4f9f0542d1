import { describe, expect, test } from "vitest";
import { markdownToLexical } from "~/lexical/markdown.server";
import { FORMAT, LIMITS, type SerializedNode, type SerializedState } from "~/lexical/nodes";
import { renderBodyHtml } from "~/lexical/render.server";
import { bodyToText, excerpt } from "~/lexical/text";
import { validateBody } from "~/lexical/validate";

// Small builders for serialized Lexical states, as the editor would send them.
const text = (t: string, extra: Record<string, unknown> = {}): SerializedNode => ({ type: "text", text: t, format: 0, detail: 0, mode: "normal", style: "", version: 1, ...extra });
const el = (type: string, children: SerializedNode[], extra: Record<string, unknown> = {}): SerializedNode => ({
  type,
  children,
  direction: "ltr",
  format: "",
  indent: 0,
  version: 1,
  ...extra,
});
const p = (...children: SerializedNode[]) => el("paragraph", children);
const link = (url: string, label = "详情") => el("link", [text(label)], { url });
const state = (...children: SerializedNode[]): SerializedState => ({ root: el("root", children) });

function convert(markdown: string) {
  const r = markdownToLexical(markdown);
  if (!r.ok) throw new Error(`expected Markdown to convert, got: ${r.message}`);
  return r;
}

function failure(input: unknown): string {
  const r = validateBody(input);
  if (r.ok) throw new Error("expected the body to be refused");
  return r.message;
}

describe("Markdown → Lexical", () => {
  const markdown = [
    "# 地铁车辆检修工作室",
    "",
    "工作室研发的**HMI仿真培训系统**让新司机*先模拟、后上车*，详见[项目介绍](https://example.com/hmi)。",
    "",
    "## 主要成果",
    "",
    "- 实车培训时间减少30%以上",
    "- 运行图排版时间缩短80%",
    "",
    "1. 故障复现",
    "2. 应急演练",
    "",
    "> 十三个项目全部实现转化应用。",
  ].join("\n");

  test("headings, paragraphs, lists and quotes become the matching node types", () => {
    const { state: s } = convert(markdown);
    const blocks = s.root.children!;
    expect(blocks.map((b) => b.type)).toEqual(["heading", "paragraph", "heading", "list", "list", "quote"]);
    expect(blocks.filter((b) => b.type === "heading").map((b) => b.tag)).toEqual(["h1", "h2"]);
    expect(blocks[3]).toMatchObject({ listType: "bullet", tag: "ul" });
    expect(blocks[4]).toMatchObject({ listType: "number", tag: "ol" });
    expect(blocks[3].children!.map((li) => li.type)).toEqual(["listitem", "listitem"]);
  });

  test("bold, italic and links keep their format and address, Chinese text intact", () => {
    const { state: s } = convert(markdown);
    const inline = s.root.children![1].children!;
    expect(inline.find((n) => n.text === "HMI仿真培训系统")?.format).toBe(FORMAT.bold);
    expect(inline.find((n) => n.text === "先模拟、后上车")?.format).toBe(FORMAT.italic);
    const a = inline.find((n) => n.type === "link");
    expect(a).toMatchObject({ url: "https://example.com/hmi" });
    expect(a?.children?.[0].text).toBe("项目介绍");
  });

  test("the JSON it gives is the validated state, and reads back the same", () => {
    const r = convert(markdown);
    expect(JSON.parse(r.json)).toEqual(r.state);
    expect(validateBody(r.json)).toMatchObject({ ok: true, json: r.json });
  });

  test("text extraction gives the plain text, one block per line", () => {
    expect(bodyToText(convert(markdown).state)).toBe(
      [
        "地铁车辆检修工作室",
        "工作室研发的HMI仿真培训系统让新司机先模拟、后上车，详见项目介绍。",
        "主要成果",
        "实车培训时间减少30%以上",
        "运行图排版时间缩短80%",
        "故障复现",
        "应急演练",
        "十三个项目全部实现转化应用。",
      ].join("\n"),
    );
  });

  test("an image's alt text stays out of the plain text, so it never shows in a snippet", () => {
    const img = { type: "image", version: 1, src: "/uploads/a.png", altText: "检修现场照片" } as SerializedNode;
    const body = {
      root: { type: "root", version: 1, children: [{ type: "paragraph", version: 1, children: [{ type: "text", version: 1, text: "转向架检修。" }, img] }] },
    } as SerializedState;
    expect(bodyToText(body)).toBe("转向架检修。");
  });

  test("an excerpt is one line, cut with an ellipsis", () => {
    const flat = bodyToText(convert(markdown).state);
    expect(excerpt(flat, 12)).toBe("地铁车辆检修工作室 工…");
    expect(excerpt("短文本\n第二行")).toBe("短文本 第二行");
  });

  test("raw HTML and unsafe links are refused; angle brackets in plain text are not HTML", () => {
    expect(markdownToLexical("<img src=x onerror=alert(1)>")).toEqual({ ok: false, message: "raw HTML is not allowed in Markdown bodies" });
    expect(markdownToLexical("[点我](javascript:alert(1))")).toMatchObject({ ok: false, message: expect.stringMatching(/^link address/) });
    expect(markdownToLexical("[下载](data:text/html;base64,PHNjcmlwdD4=)")).toMatchObject({ ok: false });
    expect(bodyToText(convert("电压 3 < 5 且 7 > 6").state)).toBe("电压 3 < 5 且 7 > 6");
  });
});

describe("validateBody", () => {
  test("a good state comes back normalized: unknown attributes dropped, text style cleared", () => {
    const r = validateBody(
      state(
        el("paragraph", [text("郑州地铁", { style: "background:url(javascript:alert(1))", onclick: "x" })], { onmouseover: "alert(1)", innerHTML: "<b>x</b>", format: "center" }),
      ),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const para = r.state.root.children![0];
    expect(para).not.toHaveProperty("onmouseover");
    expect(para).not.toHaveProperty("innerHTML");
    expect(para.format).toBe("center");
    expect(para.children![0]).toMatchObject({ text: "郑州地铁", style: "" });
    expect(para.children![0]).not.toHaveProperty("onclick");
    expect(r.json).not.toMatch(/javascript|onclick|onmouseover|innerHTML/);
  });

  test("unknown and script-ish node types are refused", () => {
    for (const type of ["html", "script", "iframe", "embed", "__proto__"]) {
      expect(failure(state(p(text("a")), el(type, [])))).toBe(`node type "${type}" is not allowed`);
    }
    expect(failure(state({ type: "script", text: "alert(1)" } as SerializedNode))).toMatch(/not allowed/);
    expect(failure(state(p({ text: "无类型" } as unknown as SerializedNode)))).toBe("node without a type");
  });

  test("a heading tag outside h1–h6 (such as script) is refused", () => {
    expect(failure(state(el("heading", [text("标题")], { tag: "script" })))).toBe("heading tag must be h1–h6");
  });

  test.each([
    ["javascript:alert(1)"],
    ["JavaScript:alert(1)"],
    ["java\tscript:alert(1)"],
    ["java\nscript:alert(1)"],
    [" javascript:alert(1)"],
    ["\u0001javascript:alert(1)"],
    ["data:text/html,<script>alert(1)</script>"],
    ["vbscript:msgbox(1)"],
    ["//evil.example/phish"],
    ["/\\evil.example/phish"],
    ["ftp://example.com/file"],
  ])("a link to %j is refused", (url) => {
    expect(failure(state(p(link(url))))).toBe("link address must start with http://, https://, mailto: or /");
  });

  test.each([["https://www.zzmetro.com/"], ["http://example.com/a?b=1"], ["mailto:studio@example.com"], ["/studios/xu-xin"], ["#成果"]])("a link to %j is kept", (url) => {
    const r = validateBody(state(p(link(url))));
    expect(r.ok && r.state.root.children![0].children![0].url).toBe(url);
  });

  test("images must be our own uploads", () => {
    const img = (src: string) => ({ type: "image", src, altText: "检修现场" }) as SerializedNode;
    expect(validateBody(state(p(img("/uploads/hmi-sim-01.png")))).ok).toBe(true);
    for (const src of ["https://evil.example/x.png", "/uploads/../data/hub.db", "/static/x.png", "data:image/png;base64,AAAA", "javascript:alert(1)"]) {
      expect(failure(state(p(img(src))))).toBe("image source must be an uploaded file");
    }
  });

  test("nesting deeper than the limit is refused; at the limit it is fine", () => {
    const nest = (levels: number): SerializedNode => {
      let node: SerializedNode = text("最里层");
      for (let i = 0; i < levels; i++) node = el("quote", [node]);
      return node;
    };
    // root is depth 0; the text at depth maxDepth is allowed
    expect(validateBody(state(nest(LIMITS.maxDepth - 1))).ok).toBe(true);
    expect(failure(state(nest(LIMITS.maxDepth + 5)))).toBe(`body is nested deeper than ${LIMITS.maxDepth} levels`);
  });

  test("more nodes than the limit are refused", () => {
    const many = Array.from({ length: LIMITS.maxNodes }, () => ({ type: "linebreak", version: 1 }) as SerializedNode);
    expect(failure(state(p(...many)))).toBe(`body has more than ${LIMITS.maxNodes} nodes`);
  });

  test("an oversize JSON string is refused before parsing", () => {
    const big = JSON.stringify(state(p(text("工".repeat(LIMITS.maxBytes / 3 + 10)))));
    expect(Buffer.byteLength(big)).toBeGreaterThan(LIMITS.maxBytes);
    expect(failure(big)).toBe(`body is larger than ${LIMITS.maxBytes / 1024} KB`);
  });

  test("too much text is refused", () => {
    const chunk = "文".repeat(LIMITS.maxTextLength / 2 + 1);
    expect(failure(state(p(text(chunk)), p(text(chunk))))).toBe(`body text is longer than ${LIMITS.maxTextLength} characters`);
  });

  test("malformed JSON is refused", () => {
    expect(failure('{"root": {"type": "root", "children": [')).toBe("body is not well-formed JSON");
    expect(failure("")).toBe("body is not well-formed JSON");
  });

  test("a state that does not start with a root node is refused", () => {
    const message = "body must be a Lexical editor state with a root node";
    expect(failure({ root: p(text("段落")) })).toBe(message);
    expect(failure({ paragraph: p(text("段落")) })).toBe(message);
    expect(failure([state(p(text("段落")))])).toBe(message);
    expect(failure(null)).toBe(message);
    expect(failure(JSON.stringify("纯文本"))).toBe(message);
    expect(failure(state(p(el("root", []))))).toBe("root node inside the body");
  });

  test("a refusal says where in the body it happened", () => {
    const r = validateBody(state(p(text("正常")), p(text("链接："), link("javascript:void(0)"))));
    expect(r).toMatchObject({ ok: false, path: "root.children[1].children[1]" });
  });
});

describe("renderBodyHtml", () => {
  test("text that looks like markup is escaped, never a tag", () => {
    const html = renderBodyHtml(state(p(text("<script>alert(1)</script>")), p(text('"><img src=x onerror=alert(1)>'))));
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toMatch(/<script|<img/i);
  });

  test("renders the whitelisted elements with Chinese text", () => {
    const { json } = convert("## 主要成果\n\n**节省**实车培训*大幅*，见[介绍](https://example.com)。\n\n- 一\n- 二\n\n> 引用");
    const html = renderBodyHtml(json);
    expect(html).toContain("<h2>主要成果</h2>");
    expect(html).toContain("<strong>节省</strong>");
    expect(html).toContain("<em>大幅</em>");
    expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer nofollow">介绍</a>');
    expect(html).toContain("<ul><li>一</li><li>二</li></ul>");
    expect(html).toContain("<blockquote>引用</blockquote>");
  });

  test("never outputs event attributes, and style only for text alignment", () => {
    const hostile = state(
      el("paragraph", [text("居中", { style: "color:red" })], { format: "center", onclick: "alert(1)", style: "position:fixed" }),
      el("heading", [text("标题")], { tag: "h3", format: "expression(alert(1))", onload: "x" }),
      el("list", [el("listitem", [text("项")], { onfocus: "alert(1)", style: "x" })], { listType: "bullet", onmouseover: "y" }),
      p({ type: "image", src: "/uploads/a.png", altText: "图", onerror: "alert(1)", style: "width:9999px" } as SerializedNode),
    );
    const html = renderBodyHtml(hostile);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    const styles = [...html.matchAll(/style="([^"]*)"/g)].map((m) => m[1]);
    expect(styles).toEqual(["text-align:center"]);
    expect(html).toContain('<img src="/uploads/a.png" alt="图" loading="lazy"/>');
  });

  test("a body that fails validation renders nothing at all", () => {
    expect(renderBodyHtml(state(p(text("看这里")), p(link("javascript:alert(1)"))))).toBe("");
    expect(renderBodyHtml("{not json")).toBe("");
    expect(renderBodyHtml(state(el("heading", [text("x")], { tag: "script" })))).toBe("");
  });

  test("links to our own pages carry no rel; external ones are nofollow", () => {
    const html = renderBodyHtml(state(p(link("/studios/xu-xin", "许欣工作室"), link("https://example.com", "外部"))));
    expect(html).toContain('<a href="/studios/xu-xin">许欣工作室</a>');
    expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer nofollow">外部</a>');
  });
});
