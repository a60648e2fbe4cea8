/** The anonymised tables the meeting screen shows, and how a cell is written for people. */

export interface Cell {
  key: string[];
  value: number | null;
  status: 'PUBLISHED' | 'ROUNDED' | 'SUPPRESSED';
}

export interface StatisticsTable {
  audience: string;
  minimumCellSize: number;
  roundingBase: number | null;
  period: string;
  closed: boolean;
  /** The day the figures stand on (the release's day). */
  asOf: string;
  computedAt: string;
  suppressedCells: number;
  categories: { dimension: string; values: string[] }[];
  cells: Cell[];
}

const TABLE_FIELDS = `audience minimumCellSize roundingBase period closed asOf computedAt suppressedCells
  categories { dimension values } cells { key value status }`;

/** Each table on its own request: one the audience may not ask for must not blank the others. */
export const QUERIES = {
  stages: `query FaelleNachPhase($year: Int!) {
    caseStatistics(measure: CASES, dimensions: [STAGE], period: { year: $year }) { ${TABLE_FIELDS} }
  }`,
  // Quarters: the finest period the public may see, so every audience sees the same chart.
  ausbildung: `query UebergaengeAusbildung($year: Int!) {
    caseStatistics(measure: TRANSITIONS, stage: AUSBILDUNG, dimensions: [PERIOD],
      period: { year: $year, granularity: QUARTER }) { ${TABLE_FIELDS} }
  }`,
  work: `query UebergaengeArbeit($year: Int!) {
    caseStatistics(measure: TRANSITIONS, stage: WORK, dimensions: [PERIOD],
      period: { year: $year, granularity: QUARTER }) { ${TABLE_FIELDS} }
  }`,
  statusAge: `query FaelleNachStatusUndAlter($year: Int!) {
    caseStatistics(measure: CASES, dimensions: [RESIDENCE_STATUS, AGE_BAND], period: { year: $year }) {
      ${TABLE_FIELDS}
    }
  }`,
} as const;

export type TableName = keyof typeof QUERIES;

export const STATISTICS_UPDATED = `subscription SitzungAktualisieren { statisticsUpdated { changedAt statistics } }`;

const numberFormat = new Intl.NumberFormat('de-DE');

export interface ShownCell {
  /** What the cell shows: "42", "≈ 25", "unterdrückt". */
  text: string;
  /** A longer explanation (title, tooltip, screen readers). */
  explanation: string;
  suppressed: boolean;
}

/**
 * A cell as people read it. Every hidden cell reads the same: saying which ones are small ("< 5") and
 * which are hidden to protect them would tell bounds that let the small ones be computed back.
 */
export function showCell(cell: Cell | undefined, table: StatisticsTable): ShownCell {
  if (!cell) return { text: '–', explanation: 'kein Wert', suppressed: false };
  switch (cell.status) {
    case 'SUPPRESSED':
      return {
        text: 'unterdrückt',
        explanation: `unterdrückt: zu kleine Zahl (unter ${table.minimumCellSize}) oder zum Schutz einer kleinen Zahl`,
        suppressed: true,
      };
    case 'ROUNDED':
      return {
        text: `≈ ${numberFormat.format(cell.value ?? 0)}`,
        explanation: `auf ${table.roundingBase ?? 5} gerundet`,
        suppressed: false,
      };
    default:
      return {
        text: numberFormat.format(cell.value ?? 0),
        explanation: 'genauer Wert',
        suppressed: false,
      };
  }
}

/** The cell with exactly this key ("*" for a margin). */
export function cellAt(table: StatisticsTable, ...key: string[]): Cell | undefined {
  const wanted = key.join('\u0000');
  return table.cells.find((c) => c.key.join('\u0000') === wanted);
}

export const categoriesOf = (table: StatisticsTable, dimension: string) =>
  table.categories.find((c) => c.dimension === dimension)?.values ?? [];
