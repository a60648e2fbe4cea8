import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';

/** PostgreSQL array element type per column, e.g. 'uuid', 'text', 'date', 'int', 'boolean', 'timestamptz'. */
export interface BulkColumn {
  name: string;
  type: string;
  /** The column is itself an array (text[]): add its values as `arrayLiteral(…)` strings; they are cast. */
  array?: boolean;
}

type Value = string | number | boolean | null | undefined;

/** One value inside a PostgreSQL array literal: quoted, with backslashes and quotes escaped. */
const element = (v: Value): string =>
  v === null || v === undefined ? 'NULL' : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export const arrayLiteral = (values: readonly Value[]): string => `{${values.map(element).join(',')}}`;

/**
 * Collects rows column by column and inserts them with one `insert … select … from unnest(…)` per
 * flush: one bind parameter per column however many rows, so tens of thousands of rows go in a
 * single statement without the 65,535-parameter limit of multi-row VALUES.
 */
export class BulkTable {
  private readonly values: Value[][];
  private rows = 0;
  inserted = 0;

  constructor(
    private readonly table: string,
    private readonly columns: readonly BulkColumn[],
  ) {
    this.values = columns.map(() => []);
  }

  add(row: readonly Value[]): void {
    for (let i = 0; i < this.columns.length; i++) this.values[i]!.push(row[i]);
    this.rows++;
  }

  get pending(): number {
    return this.rows;
  }

  /**
   * Takes the pending rows out of the table (synchronously) and returns the insert that writes them.
   * The SQL carries one parameter per column however many rows.
   */
  take(): (em: EntityManager) => Promise<void> {
    const count = this.rows;
    if (count === 0) return async () => {};
    const names = this.columns.map((c) => `"${c.name}"`).join(', ');
    const selected = this.columns
      .map((c) => (c.array ? `"${c.name}"::${c.type}[]` : `"${c.name}"`))
      .join(', ');
    const params = this.columns.map((c) => `?::${c.array ? 'text' : c.type}[]`).join(', ');
    const sql = `insert into "${this.table}" (${names}) select ${selected} from unnest(${params}) as t(${names})`;
    const bindings = this.values.map((column) => arrayLiteral(column));
    for (const column of this.values) column.length = 0;
    this.rows = 0;
    this.inserted += count;
    return async (em) => {
      // Straight to knex with bind parameters: em.execute() would inline the megabyte-sized values into the SQL.
      const knex = em.getTransactionContext<Knex.Transaction>() ?? em.getKnex();
      await knex.raw(sql, bindings);
    };
  }
}

/**
 * Overlaps generating the next batch (node) with inserting the previous one (PostgreSQL): at most one
 * batch is in flight; its tables are inserted in the order given (parents before children).
 */
export class InsertPipeline {
  private inFlight: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(private readonly em: EntityManager) {}

  async push(...tables: BulkTable[]): Promise<void> {
    const inserts = tables.map((t) => t.take());
    await this.drain();
    this.inFlight = (async () => {
      for (const insert of inserts) await insert(this.em);
    })().catch((error: unknown) => {
      this.failure = error;
    });
    // Let the driver send the statement before generation blocks the event loop again.
    await nextMacrotask();
  }

  async drain(): Promise<void> {
    await this.inFlight;
    if (this.failure !== undefined) throw this.failure;
  }
}
