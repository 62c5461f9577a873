import { layOutBars } from '../lib/bars';

export interface BarDatum {
  key: string;
  /** Under the bar (only every few are printed when there are many). */
  label: string;
  value: number;
}

const WIDTH = 720;
const HEIGHT = 180;
const AXIS = 22;
/** Room at either end for the first and last labels, centred under their bars. */
const PAD = 20;
const MOST_LABELS = 8;

/**
 * A small SVG bar chart. For a screen reader the picture is one sentence (`summary`) and the
 * numbers are a table beside it; a mouse user gets each bar's value as its tooltip.
 */
export function BarChart({ data, format, caption, summary, testId }: { data: BarDatum[]; format: (value: number) => string; caption: string; summary: string; testId?: string }) {
  const { bars, baseline } = layOutBars(
    data.map((datum) => datum.value),
    WIDTH - 2 * PAD,
    HEIGHT,
  );
  const labelEvery = Math.max(1, Math.ceil(data.length / MOST_LABELS));
  return (
    <figure className="bar-chart" data-testid={testId}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + AXIS}`} role="img" aria-label={summary} preserveAspectRatio="xMidYMid meet">
        <line className="bar-chart-axis" x1={0} x2={WIDTH} y1={baseline} y2={baseline} />
        <g transform={`translate(${PAD} 0)`}>
          {data.map((datum, index) => {
            const bar = bars[index]!;
            return (
              <g key={datum.key} data-key={datum.key} data-value={datum.value}>
                <rect className={datum.value < 0 ? 'bar-chart-bar bar-chart-negative' : 'bar-chart-bar'} x={bar.x} y={bar.y} width={bar.width} height={bar.height} rx={2}>
                  <title>{`${datum.label}: ${format(datum.value)}`}</title>
                </rect>
                {index % labelEvery === 0 && (
                  <text className="bar-chart-label" x={bar.x + bar.width / 2} y={HEIGHT + AXIS - 6} textAnchor="middle">
                    {datum.label}
                  </text>
                )}
              </g>
            );
          })}
        </g>
      </svg>
      <figcaption className="sr-only">{caption}</figcaption>
      <table className="sr-only">
        <tbody>
          {data.map((datum) => (
            <tr key={datum.key}>
              <th scope="row">{datum.label}</th>
              <td>{format(datum.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
