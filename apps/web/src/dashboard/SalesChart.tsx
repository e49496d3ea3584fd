import { formatMoney } from '../ui/format.ts';
import { maxMoney, ratio } from '../ui/decimal.ts';

export interface MonthTotal {
  /** 'YYYY-MM' */
  month: string;
  total: string;
}

const WIDTH = 600;
const HEIGHT = 200;
const BASELINE = 170;

function monthLabel(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return new Date(Date.UTC(year ?? 2000, (m ?? 1) - 1, 1)).toLocaleDateString(undefined, {
    month: 'short',
    timeZone: 'UTC',
  });
}

/** Sales per month as bars; the figures are also in a table for screen readers. */
export function SalesChart({ months, currency }: { months: MonthTotal[]; currency: string }) {
  const max = months.reduce((best, m) => maxMoney(m.total, best), '0.00');
  const slot = WIDTH / Math.max(months.length, 1);
  return (
    <figure className="stack chart-figure">
      <svg
        className="chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="sales-chart-caption"
      >
        <title>Sales per month</title>
        {months.map((m, index) => {
          const height = Math.max(ratio(m.total, max) * (BASELINE - 20), m.total === '0.00' ? 0 : 2);
          const x = index * slot + slot * 0.2;
          return (
            <g key={m.month}>
              <rect x={x} y={BASELINE - height} width={slot * 0.6} height={height} rx={3}>
                <title>
                  {monthLabel(m.month)}: {formatMoney(m.total, currency)}
                </title>
              </rect>
              <text x={x + slot * 0.3} y={BASELINE + 16} textAnchor="middle">
                {monthLabel(m.month)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption id="sales-chart-caption" className="visually-hidden">
        Sales per month:{' '}
        {months.map((m) => `${monthLabel(m.month)} ${formatMoney(m.total, currency)}`).join(', ')}
      </figcaption>
    </figure>
  );
}
