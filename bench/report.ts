/** One line of the benchmark table. */
/** The middle value (the upper one of an even count). */
export function middle(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

/** A rate as the tables print it: rounded, with thousands separators. */
export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export interface Row {
  what: string;
  ours: string;
  baseline: string;
  /** Ours as a percentage of the baseline, when the target is a ratio. */
  ratio: number | null;
  target: string;
  /** Null for a row that only gives context to another one. */
  met: boolean | null;
}

/** The table as Markdown, which reads fine in a terminal too. */
export function formatTable(rows: readonly Row[]): string {
  const lines = [
    '| what | measured | baseline (same run) | ratio | target | met |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const ratio = row.ratio === null ? '—' : `${row.ratio.toFixed(0)}%`;
    lines.push(
      `| ${row.what} | ${row.ours} | ${row.baseline} | ${ratio} | ${row.target} | ${row.met === null ? '—' : row.met ? 'yes' : '**no**'} |`,
    );
  }
  return lines.join('\n');
}
