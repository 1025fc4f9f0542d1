import { beforeAll, describe, expect, test } from "vitest";
import { barChart, FONT_FAMILY, funnelChart, lineChart, loadCharts, PALETTE, pieChart } from "~/utils/charts.server";

beforeAll(loadCharts);

// Server-drawn charts: finished SVG with a name, the labels and values a reader sees, the house
// font and palette, scaling with its container, and nothing interactive left in it.

const levels = [
  { label: "全国级", value: 1 },
  { label: "省级", value: 31 },
  { label: "市级", value: 101 },
];
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe("charts drawn on the server", () => {
  test("a bar chart is a named image holding its labels and values, in the CJK font and the palette", () => {
    const svg = barChart({ id: "levels", title: "工作室按级别", data: levels });
    expect(svg).toMatch(/^<svg role="img" aria-labelledby="levels-title" aria-describedby="levels-desc" width="100%"/);
    expect(svg).toMatch(/viewBox="0 0 520 300"/);
    expect(svg).toContain('<title id="levels-title">工作室按级别</title>');
    expect(svg).toContain('<desc id="levels-desc">全国级 1; 省级 31; 市级 101</desc>');
    expect(texts(svg)).toEqual(expect.arrayContaining(["全国级", "省级", "市级", "1", "31", "101"]));
    expect(svg).toContain("Noto Sans CJK SC");
    expect(svg).toContain(`fill="${PALETTE[0]}"`);
    expect(svg).toContain(`fill="${PALETTE[2]}"`);
    expect(svg).not.toMatch(/<style|ecmeta_|<script/);
    expect(FONT_FAMILY).toMatch(/^"Noto Sans CJK SC"/);
  });

  test("a horizontal bar chart grows with its rows and formats values", () => {
    const svg = barChart({
      id: "ind",
      title: "按行业",
      horizontal: true,
      data: [
        { label: "轨道交通", value: 4 },
        { label: "电力", value: 2 },
        { label: "人工智能", value: 1 },
      ],
      format: (n) => `${n} 家`,
    });
    expect(svg).toMatch(/viewBox="0 0 520 172"/);
    expect(texts(svg)).toEqual(expect.arrayContaining(["轨道交通", "电力", "人工智能", "4 家", "2 家", "1 家"]));
  });

  test("a pie chart labels each slice with name, value and percentage, and leaves out empty slices", () => {
    const svg = pieChart({
      id: "sector",
      title: "按产业类别",
      data: [
        { label: "传统产业", value: 9 },
        { label: "主导产业", value: 1 },
        { label: "新兴产业", value: 0 },
      ],
    });
    const all = texts(svg).join("|");
    expect(all).toContain("传统产业");
    expect(all).toContain("9 (90%)");
    expect(all).toContain("1 (10%)");
    expect(all).not.toContain("新兴产业");
    expect(svg).toContain('<desc id="sector-desc">传统产业 9; 主导产业 1; 新兴产业 0</desc>');
  });

  test("a funnel keeps the steps in their order with their counts", () => {
    const svg = funnelChart({
      id: "f",
      title: "需求漏斗",
      data: [
        { label: "点单", value: 7 },
        { label: "配送", value: 5 },
        { label: "完结", value: 2 },
      ],
    });
    expect(texts(svg)).toEqual(["点单  7", "配送  5", "完结  2"]);
  });

  test("a line chart shows every month and its count; titles are escaped", () => {
    const svg = lineChart({
      id: "act",
      title: "每月动态 <&>",
      data: [
        { label: "2026-01", value: 3 },
        { label: "2026-02", value: 0 },
        { label: "2026-03", value: 12 },
      ],
    });
    expect(texts(svg)).toEqual(expect.arrayContaining(["2026-01", "2026-02", "2026-03", "3", "0", "12"]));
    expect(svg).toContain('<title id="act-title">每月动态 &lt;&amp;&gt;</title>');
  });
});
