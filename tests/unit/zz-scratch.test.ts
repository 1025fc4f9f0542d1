import { test } from "vitest";
import { markdownToLexical } from "~/lexical/markdown.server";
import { parseContentFile } from "~/content/load.server";
import { StudioSchema, PatentSchema } from "~/content/schema";
test("x", () => {
  for (const md of ["[点我](javascript:alert(1))", "[点我](javascript:void0)", "[a](data:text/html,abc)", "# 标题\n\n**粗体** *斜体* 和 [链接](https://example.com)\n\n- 一\n- 二\n\n1. 甲\n2. 乙\n\n> 引用", "<script>x</script>", "a < b > c", "x <br> y"]) {
    const r = markdownToLexical(md);
    console.log(md, JSON.stringify(r).slice(0, 3000));
  }
  const probs: any[] = [];
  parseContentFile("---\nname: [unclosed\n---\nbody", "s.md", StudioSchema, probs);
  parseContentFile("---\nname: x\nfounded: 两千年\n---\nbody", "s.md", StudioSchema, probs);
  parseContentFile("---\nname: x\nlevel: city\n---\nbody", "s.md", StudioSchema, probs);
  parseContentFile("---\nnumber: ZL2020\nfiled: 2021-02-30\ngranted: 2021-13-01\n---\nbody", "p.md", PatentSchema, probs);
  parseContentFile("---\n- a\n- b\n---\nbody", "p.md", PatentSchema, probs);
  parseContentFile("---\n---\nbody", "p.md", PatentSchema, probs);
  parseContentFile("---\nname: a\n\tname: b\n---\nbody", "p.md", PatentSchema, probs);
  console.log(JSON.stringify(probs, null, 1));
  console.log(Date.parse("2021-02-30"), Date.parse("2021-02-31"), Date.parse("2021-04-31"));
});
