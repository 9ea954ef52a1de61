// Charts of the monthly report, rendered on the node by ECharts' server-side SVG renderer (no DOM,
// no network), so the PDF carries the same kind of charts as the page.

import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

const FONT = { fontFamily: '"Noto Sans CJK SC", "Noto Sans SC", sans-serif' };

function render(option: Record<string, unknown>, width = 720, height = 260): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, textStyle: FONT, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

/** A line chart; a null point (a day after today) is a gap. */
export function trendChart(title: string, labels: string[], series: Array<{ name: string; data: Array<number | null> }>): string {
  return render({
    title: { text: title, left: 'center', textStyle: { fontSize: 13 } },
    legend: { bottom: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 48 },
    xAxis: { type: 'category', data: labels, axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value' },
    series: series.map((s) => ({ type: 'line', name: s.name, data: s.data, showSymbol: false, smooth: false })),
  });
}

export function stackedBars(title: string, labels: string[], series: Array<{ name: string; data: number[] }>): string {
  return render({
    title: { text: title, left: 'center', textStyle: { fontSize: 13 } },
    legend: { bottom: 0, type: 'plain', textStyle: { fontSize: 10 } },
    grid: { left: 48, right: 16, top: 36, bottom: 64 },
    xAxis: { type: 'category', data: labels, axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value' },
    series: series.map((s) => ({ type: 'bar', stack: 'all', name: s.name, data: s.data })),
  }, 720, 300);
}

export function rankingBars(title: string, names: string[], values: number[], percent: boolean): string {
  return render({
    title: { text: title, left: 'center', textStyle: { fontSize: 13 } },
    grid: { left: 170, right: 48, top: 36, bottom: 16 },
    xAxis: { type: 'value', max: percent ? 100 : undefined, axisLabel: { formatter: percent ? '{value}%' : '{value}' } },
    yAxis: { type: 'category', data: [...names].reverse(), axisLabel: { fontSize: 10, width: 160, overflow: 'truncate' } },
    series: [{ type: 'bar', data: [...values].reverse(), label: { show: true, position: 'right', fontSize: 10, formatter: percent ? '{c}%' : '{c}' } }],
  }, 720, Math.max(160, 40 + names.length * 22));
}
