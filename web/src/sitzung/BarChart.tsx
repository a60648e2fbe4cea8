import {
  BarElement,
  CategoryScale,
  Chart,
  type ChartData,
  type ChartOptions,
  Legend,
  LinearScale,
  type Plugin,
  type Scale,
  Tooltip,
} from 'chart.js';
import { useEffect, useState } from 'react';
import { Bar } from 'react-chartjs-2';
import type { ShownCell } from './statistics';

// Only what bar charts need, so the meeting page stays small.
Chart.register(BarElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.font.family = "system-ui, 'Segoe UI', 'Liberation Sans', 'DejaVu Sans', Arial, sans-serif";
Chart.defaults.color = '#1b1b1b';

/**
 * Lettering by screen: large enough to read from the back of a room on a projector (≥ 18 px, 22 px on
 * full HD), smaller on a phone so that the categories' names fit beside the bars instead of being cut.
 */
const fontSizeFor = (width: number) => (width >= 1600 ? 22 : width >= 800 ? 18 : 13);

function useFontSize(): number {
  const [size, setSize] = useState(() => fontSizeFor(window.innerWidth));
  useEffect(() => {
    const update = () => setSize(fontSizeFor(window.innerWidth));
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, []);
  return size;
}

/** Width of the widest line of the labels in the scale's font. */
function widestLine(scale: Scale, lines: string[][], size: number): number {
  const { ctx } = scale;
  ctx.save();
  ctx.font = `${size}px ${Chart.defaults.font.family}`;
  const widest = Math.max(0, ...lines.flat().map((line) => ctx.measureText(line).width));
  ctx.restore();
  return widest;
}

/** Marks the chart's box with whether every category name is drawn in full (the tests read it). */
const reportFit = (scale: Scale, fits: boolean) =>
  scale.chart.canvas.parentElement?.setAttribute('data-labels-fit', String(fits));

/** A category's name in lines of at most `max` characters (Chart.js draws an array as lines). */
function wrap(name: string, max: number): string[] {
  const lines: string[] = [];
  for (const word of name.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= max)
      lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

// Chart.js does not follow the print layout by itself: once the print styles apply, every chart is
// fitted to its container on the page again (and back to the screen afterwards).
const fitToContainers = () => {
  for (const chart of Object.values(Chart.instances)) chart.resize();
};
window.matchMedia('print').addEventListener('change', fitToContainers);
window.addEventListener('afterprint', fitToContainers);

export interface Series {
  label: string;
  color: string;
  /** One per category, in the order of `categories`. */
  cells: { value: number | null; shown: ShownCell }[];
}

type LabelledDataset = { valueLabels?: string[]; suppressed?: boolean[] };

/**
 * Writes each bar's figure at its end, so the room reads numbers, not bar heights. Suppressed cells have
 * no bar (their value is unknown): their marker ("unterdrückt") stands where the bar would start, so
 * the chart never suggests a zero.
 */
const valueLabels: Plugin<'bar'> = {
  id: 'valueLabels',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const horizontal = chart.options.indexAxis === 'y';
    chart.data.datasets.forEach((dataset, i) => {
      const labels = (dataset as LabelledDataset).valueLabels;
      const meta = chart.getDatasetMeta(i);
      if (!labels || meta.hidden) return;
      const suppressed = (dataset as LabelledDataset).suppressed ?? [];
      meta.data.forEach((element, j) => {
        const text = labels[j];
        if (!text) return;
        const { x, y } = element.getProps(['x', 'y'], true) as { x: number; y: number };
        ctx.save();
        const size = (chart.options.plugins as { valueLabels?: { size?: number } }).valueLabels?.size ?? 18;
        ctx.font = `700 ${size}px ${Chart.defaults.font.family}`;
        // A marker has no bar beside it: its series' colour (all ≥ 4.5:1 on white) tells whose it is.
        ctx.fillStyle = suppressed[j] ? String(dataset.backgroundColor) : '#1b1b1b';
        if (horizontal) {
          ctx.textAlign = 'left';
          ctx.textBaseline = 'middle';
          ctx.fillText(text, x + 6, y);
        } else if (suppressed[j]) {
          // Upright bars stand side by side: a marker word runs up from the baseline, within its bar's slot.
          ctx.translate(x, y - 4);
          ctx.rotate(-Math.PI / 2);
          ctx.textAlign = 'left';
          ctx.textBaseline = 'middle';
          ctx.fillText(text, 0, 0);
        } else {
          ctx.textAlign = 'center';
          ctx.textBaseline = 'bottom';
          ctx.fillText(text, x, y - 4);
        }
        ctx.restore();
      });
    });
  },
};

/** The figure drawn in the chart; the table below spells out what a marker means. */
const chartLabel = (shown: ShownCell) => shown.text;

export function BarChart({
  categories,
  series,
  description,
  horizontal = false,
  height,
  fitScreen = false,
}: {
  categories: string[];
  series: Series[];
  /** What the chart shows, for screen readers (the table below has every value). */
  description: string;
  horizontal?: boolean;
  height: number;
  /** On the first screen: at most as tall as leaves it whole in a 720 px high window (a projector). */
  fitScreen?: boolean;
}) {
  const fontSize = useFontSize();
  const phone = fontSize < 18;
  // Names wrap into lines instead of being cut: beside horizontal bars, and under upright ones on a phone.
  const lines = categories.map((c) => (horizontal ? wrap(c, phone ? 14 : 24) : phone ? wrap(c, 8) : [c]));
  const data: ChartData<'bar'> = {
    labels: lines,
    datasets: series.map((s) => ({
      label: s.label,
      backgroundColor: s.color,
      borderColor: '#1b1b1b',
      borderWidth: 1,
      // Suppressed cells stand at 0 only to place their marker; the marker and the tooltip say why.
      data: s.cells.map((c) => (c.shown.suppressed ? 0 : (c.value ?? 0))),
      valueLabels: s.cells.map((c) => chartLabel(c.shown)),
      suppressed: s.cells.map((c) => c.shown.suppressed),
    })),
  };
  const valueAxis = {
    beginAtZero: true,
    // Room above the longest bar for its label.
    grace: '12%',
    ticks: { precision: 0, font: { size: fontSize } },
    grid: { color: '#c4c9d0' },
  };
  const options: ChartOptions<'bar'> = {
    indexAxis: horizontal ? 'y' : 'x',
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    // Room for the figure written after the longest bar.
    layout: { padding: horizontal ? { right: fontSize * 3 } : { top: 8 } },
    font: { size: fontSize },
    plugins: {
      // @ts-expect-error the options of this file's own plugin (valueLabels), read in afterDatasetsDraw
      valueLabels: { size: fontSize },
      legend: {
        display: series.length > 1,
        position: 'top',
        labels: { boxWidth: 24, font: { size: fontSize } },
      },
      tooltip: {
        callbacks: {
          label: (item) => {
            const cell = series[item.datasetIndex]?.cells[item.dataIndex];
            return cell ? `${item.dataset.label}: ${cell.shown.text} (${cell.shown.explanation})` : '';
          },
        },
      },
    },
    scales: horizontal
      ? { x: valueAxis, y: { grid: { display: false } } }
      : { x: { grid: { display: false }, ticks: { font: { size: fontSize } } }, y: valueAxis },
  };
  const categoryAxis = options.scales![horizontal ? 'y' : 'x']!;
  categoryAxis.ticks = { font: { size: fontSize }, autoSkip: false, maxRotation: 0 };
  // Chart.js gives the names beside horizontal bars at most half the width and cuts what is longer; they
  // may take up to 60 % (the bars and their figures keep the rest).
  categoryAxis.afterFit = (scale: Scale) => {
    const widest = widestLine(scale, lines, fontSize);
    if (horizontal) {
      const needed = widest + 16;
      scale.width = Math.max(scale.width, Math.min(needed, scale.chart.width * 0.6));
      reportFit(scale, needed <= scale.width + 0.5);
    } else {
      reportFit(scale, widest <= scale.width / Math.max(1, lines.length));
    }
  };
  return (
    <div
      className="chart"
      style={{ height: fitScreen ? `min(${height}px, max(260px, 100vh - 450px))` : height }}
      data-font-size={fontSize}
      data-categories={categories.join('|')}
    >
      <Bar data={data} options={options} plugins={[valueLabels]} role="img" aria-label={description} />
    </div>
  );
}
