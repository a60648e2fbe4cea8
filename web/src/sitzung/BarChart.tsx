import {
  BarElement,
  CategoryScale,
  Chart,
  type ChartData,
  type ChartOptions,
  Legend,
  LinearScale,
  type Plugin,
  Tooltip,
} from 'chart.js';
import { Bar } from 'react-chartjs-2';
import type { ShownCell } from './statistics';

// Only what bar charts need, so the meeting page stays small.
Chart.register(BarElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.font.family = "system-ui, 'Segoe UI', 'Liberation Sans', 'DejaVu Sans', Arial, sans-serif";
// Projector: large, dark lettering.
Chart.defaults.font.size = 18;
Chart.defaults.color = '#1b1b1b';

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
        ctx.font = `700 ${Math.round(Chart.defaults.font.size! * 0.9)}px ${Chart.defaults.font.family}`;
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
}: {
  categories: string[];
  series: Series[];
  /** What the chart shows, for screen readers (the table below has every value). */
  description: string;
  horizontal?: boolean;
  height: number;
}) {
  const data: ChartData<'bar'> = {
    labels: categories,
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
    ticks: { precision: 0 },
    grid: { color: '#c4c9d0' },
  };
  const options: ChartOptions<'bar'> = {
    indexAxis: horizontal ? 'y' : 'x',
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    // Room for the figure written after the longest bar.
    layout: { padding: horizontal ? { right: 56 } : { top: 8 } },
    plugins: {
      legend: { display: series.length > 1, position: 'top', labels: { boxWidth: 24 } },
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
      : { x: { grid: { display: false } }, y: valueAxis },
  };
  return (
    <div className="chart" style={{ height }}>
      <Bar data={data} options={options} plugins={[valueLabels]} role="img" aria-label={description} />
    </div>
  );
}
