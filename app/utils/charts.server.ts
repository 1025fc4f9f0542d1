import type * as ECharts from "echarts";

// Charts drawn on the server with Apache ECharts' SSR renderer (docs/decisions/0015-dashboard-charts.md):
// the page gets finished SVG markup and no chart JavaScript. Each chart is an image with a name
// (role="img", <title>, <desc>); the numbers themselves are in the data table beside it.

/** The site's colours (app/styles/app.css), red first: one palette for every chart. */
export const PALETTE = ["#b3261e", "#1f5fa8", "#2e7d4f", "#d9822b", "#6b4fa8", "#8c6d1f", "#3b8c8c", "#5c5552"];
export const FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", sans-serif';
const INK = "#1d1b1a";
const MUTED = "#5c5552";
const LINE = "#e4dedb";

export interface Datum {
  label: string;
  value: number;
}

export interface ChartOptions {
  /** an id unique on the page, for the <title> the chart is named by */
  id: string;
  /** the chart's accessible name */
  title: string;
  data: Datum[];
  width?: number;
  height?: number;
  /** what a value reads as in the labels, e.g. 12 → "12 天" */
  format?: (value: number) => string;
}

// ECharts holds ~45 MB once loaded: a server process loads it when the dashboard is first drawn, not
// at start (docs/performance.md, memory). Every chart function needs loadCharts() to have finished.
let echarts: typeof ECharts | null = null;
export async function loadCharts(): Promise<void> {
  echarts ??= await import("echarts");
}

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);

function render(o: ChartOptions, option: ECharts.EChartsOption, size: { width: number; height: number }): string {
  if (!echarts) throw new Error("charts.server: await loadCharts() before drawing a chart");
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ animation: false, color: PALETTE, textStyle: { fontFamily: FONT_FAMILY, color: INK, fontSize: 14 }, ...option });
    return accessible(chart.renderToSVGString(), o);
  } finally {
    chart.dispose();
  }
}

/** Names the SVG, lets it scale to its container (viewBox kept), and drops ECharts' hover styles and metadata. */
function accessible(svg: string, o: ChartOptions): string {
  const fmt = o.format ?? String;
  const desc = o.data.map((d) => `${d.label} ${fmt(d.value)}`).join("; ");
  const titleId = `${o.id}-title`;
  const descId = `${o.id}-desc`;
  return svg
    .replace(
      /<svg width="(\d+)" height="(\d+)"/,
      `<svg role="img" aria-labelledby="${titleId}" aria-describedby="${descId}" width="100%" preserveAspectRatio="xMidYMid meet" class="chart-svg"`,
    )
    .replace(/(<svg[^>]*>)/, `$1<title id="${titleId}">${escapeXml(o.title)}</title><desc id="${descId}">${escapeXml(desc)}</desc>`)
    .replace(/<style\s*>[\s\S]*?<\/style>/g, "")
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, "")
    .replace(/ class="zr\d+-cls-\d+"/g, "")
    .replace(/ pointer-events="visible"/g, "");
}

const label = (fmt: ChartOptions["format"]) => ({ show: true, color: INK, formatter: (p: { value: unknown }) => (fmt ?? String)(Number(p.value)) });

/** Bars, one per datum; horizontal when the labels are long (industries, studio names). */
export function barChart(o: ChartOptions & { horizontal?: boolean }): string {
  const labels = o.data.map((d) => d.label);
  const values = o.data.map((d, i) => ({ value: d.value, itemStyle: { color: PALETTE[i % PALETTE.length] } }));
  const category = {
    type: "category" as const,
    data: labels,
    axisLabel: { color: INK, interval: 0, fontSize: 13 },
    axisLine: { lineStyle: { color: MUTED } },
    axisTick: { show: false },
  };
  const value = { type: "value" as const, minInterval: 1, axisLabel: { color: MUTED }, splitLine: { lineStyle: { color: LINE } } };
  const width = o.width ?? 520;
  const height = o.height ?? (o.horizontal ? Math.max(160, 44 * o.data.length + 40) : 300);
  return render(
    o,
    {
      grid: o.horizontal ? { left: 16, right: 56, top: 12, bottom: 24, containLabel: true } : { left: 16, right: 16, top: 28, bottom: 12, containLabel: true },
      xAxis: o.horizontal ? value : category,
      yAxis: o.horizontal ? { ...category, inverse: true } : value,
      series: [{ type: "bar", data: values, barMaxWidth: 56, label: { ...label(o.format), position: o.horizontal ? "right" : "top" } }],
    },
    { width, height },
  );
}

/** Shares of a whole, each slice labelled with its name, value and percentage. */
export function pieChart(o: ChartOptions): string {
  const fmt = o.format ?? String;
  return render(
    o,
    {
      series: [
        {
          type: "pie",
          radius: ["38%", "66%"],
          center: ["50%", "52%"],
          data: o.data.filter((d) => d.value > 0).map((d) => ({ name: d.label, value: d.value })),
          label: {
            color: INK,
            fontSize: 13,
            formatter: (p: { name: string; value: unknown; percent?: number }) => `${p.name}\n${fmt(Number(p.value))} (${Math.round(p.percent ?? 0)}%)`,
          },
        },
      ],
    },
    { width: o.width ?? 440, height: o.height ?? 280 },
  );
}

/** Steps of a funnel in order, widest first; the label carries each step's count. */
export function funnelChart(o: ChartOptions): string {
  const fmt = o.format ?? String;
  const max = Math.max(1, ...o.data.map((d) => d.value));
  return render(
    o,
    {
      series: [
        {
          type: "funnel",
          sort: "none",
          left: "8%",
          width: "84%",
          top: 12,
          bottom: 12,
          min: 0,
          max,
          minSize: "12%",
          gap: 3,
          data: o.data.map((d) => ({ name: d.label, value: d.value })),
          label: { position: "inside", color: "#fff", fontSize: 14, formatter: (p: { name: string; value: unknown }) => `${p.name}  ${fmt(Number(p.value))}` },
        },
      ],
    },
    { width: o.width ?? 520, height: o.height ?? 280 },
  );
}

/** A value over time (months along the axis), each point labelled. */
export function lineChart(o: ChartOptions): string {
  return render(
    o,
    {
      grid: { left: 16, right: 24, top: 28, bottom: 12, containLabel: true },
      xAxis: { type: "category", data: o.data.map((d) => d.label), boundaryGap: false, axisLabel: { color: INK }, axisLine: { lineStyle: { color: MUTED } } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { color: MUTED }, splitLine: { lineStyle: { color: LINE } } },
      series: [
        { type: "line", data: o.data.map((d) => d.value), symbolSize: 7, lineStyle: { width: 3 }, areaStyle: { opacity: 0.12 }, label: { ...label(o.format), position: "top" } },
      ],
    },
    { width: o.width ?? 640, height: o.height ?? 280 },
  );
}
