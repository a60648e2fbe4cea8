import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { createLiveClient, describeError, type LiveState, request } from '../shared/api';
import { useReconnect } from '../shared/connection';
import { Layout } from '../shared/Layout';
import {
  AGE_BANDS,
  AUDIENCES,
  formatDate,
  formatDateTime,
  formatPeriod,
  RESIDENCE_STATUSES,
  STAGES,
} from '../shared/labels';
import { SignIn } from '../shared/SignIn';
import { useSession } from '../shared/session';
import { BarChart, type Series } from './BarChart';
import {
  type Cell,
  categoriesOf,
  cellAt,
  QUERIES,
  type ShownCell,
  STATISTICS_UPDATED,
  type StatisticsTable,
  showCell,
  type TableName,
} from './statistics';

type Tables = Partial<Record<TableName, StatisticsTable>>;
type Errors = Partial<Record<TableName, string>>;

const THIS_YEAR = new Date().getFullYear();
const YEARS = [THIS_YEAR - 3, THIS_YEAR - 2, THIS_YEAR - 1, THIS_YEAR];

// Distinguishable for common colour-vision deficiencies and dark enough for white-on-colour legends.
const COLORS = { blue: '#1f5fa8', orange: '#b35900', green: '#1d6b2f', grey: '#4a4a4a' };

export function App() {
  const session = useSession();
  const token = session?.token ?? null;
  const id = useId();
  const [year, setYear] = useState(THIS_YEAR);
  const [tables, setTables] = useState<Tables>({});
  const [errors, setErrors] = useState<Errors>({});
  const [loading, setLoading] = useState(true);
  const [liveState, setLiveState] = useState<LiveState>('connecting');
  const [announcement, setAnnouncement] = useState('');
  // Only the newest load may write the tables: an answer for a year no longer chosen must not win.
  const generation = useRef(0);

  const load = useCallback(
    async (reason: 'initial' | 'live') => {
      const mine = ++generation.current;
      if (reason === 'initial') setLoading(true);
      const names = Object.keys(QUERIES) as TableName[];
      const results = await Promise.allSettled(
        names.map((name) =>
          request<{ caseStatistics: StatisticsTable }>(QUERIES[name], { year }, token).then(
            (r) => r.caseStatistics,
          ),
        ),
      );
      if (mine !== generation.current) return;
      const nextTables: Tables = {};
      const nextErrors: Errors = {};
      // A refused token ends the session by itself (api.ts → session.ts); the tables then load publicly.
      results.forEach((result, i) => {
        const name = names[i]!;
        if (result.status === 'fulfilled') nextTables[name] = result.value;
        else nextErrors[name] = describeError(result.reason);
      });
      setTables(nextTables);
      setErrors(nextErrors);
      setLoading(false);
      if (reason === 'live') setAnnouncement(`Neue Zahlen geladen (${formatDateTime(new Date())}).`);
    },
    [year, token],
  );

  useEffect(() => {
    void load('initial');
  }, [load]);

  // The live connection depends on the sign-in only; a new year must not reconnect it.
  const latestLoad = useRef(load);
  latestLoad.current = load;

  // A failed load (the hub away, perhaps just as the year was changed) is never repeated by the live
  // subscription, which speaks only when new figures are released: back online, load the chosen year.
  useReconnect(() => void latestLoad.current('live'));

  // statisticsUpdated only says "something changed" (at most every few seconds): fetch the tables again.
  useEffect(() => {
    const client = createLiveClient(token, { state: setLiveState });
    const stop = client.subscribe(
      { query: STATISTICS_UPDATED },
      {
        next: () => void latestLoad.current('live'),
        error: () => setLiveState('reconnecting'),
        complete: () => undefined,
      },
    );
    return () => {
      stop();
      void client.dispose();
    };
  }, [token]);

  const reference = tables.stages ?? tables.statusAge ?? tables.ausbildung ?? tables.work;

  return (
    <Layout current="/sitzung">
      <div className="meeting-head">
        <h1>Bündnis-Sitzung: Fallzahlen {year}</h1>
        <div className="meeting-controls no-print">
          <label htmlFor={`${id}-year`}>Jahr</label>
          <select id={`${id}-year`} value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {YEARS.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => window.print()}>
            Drucken / PDF
          </button>
        </div>
      </div>

      {reference && <Facts table={reference} liveState={liveState} />}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>

      {loading && !reference && <p role="status">Zahlen werden geladen …</p>}

      <div className="sections">
        <Section title="Fälle nach Phase" error={errors.stages}>
          {tables.stages && <StagesView table={tables.stages} />}
        </Section>
        <Section
          title="Übergänge in Ausbildung und Arbeit nach Quartal"
          error={errors.ausbildung ?? errors.work}
        >
          {tables.ausbildung && tables.work && (
            <TransitionsView ausbildung={tables.ausbildung} work={tables.work} />
          )}
        </Section>
        <Section title="Fälle nach Aufenthaltsstatus und Altersgruppe" error={errors.statusAge} wide>
          {tables.statusAge && <StatusAgeView table={tables.statusAge} />}
        </Section>
      </div>

      {/* After the figures: the first screen of the meeting belongs to the charts. */}
      <details className="meeting-sign-in no-print" open={session !== null ? true : undefined}>
        <summary>{session ? 'Angemeldet' : 'Als Bündnispartner anmelden (genauere Zahlen)'}</summary>
        <SignIn
          session={session}
          publicNote="Ohne Anmeldung zeigt die Seite die öffentliche Sicht: Zahlen auf 5 gerundet, Werte unter 5 gesperrt."
        />
      </details>

      {reference && <Legend table={reference} />}
    </Layout>
  );
}

/** Who the figures are for, which period, and how fresh they are: always on screen and on paper. */
function Facts({ table, liveState }: { table: StatisticsTable; liveState: LiveState }) {
  const audience = AUDIENCES[table.audience] ?? table.audience;
  const rule =
    table.roundingBase !== null
      ? `Werte unter ${table.minimumCellSize} gesperrt, alle Zahlen auf ${table.roundingBase} gerundet`
      : `Werte unter ${table.minimumCellSize} gesperrt, sonst genaue Zahlen`;
  return (
    <dl className="facts">
      <div>
        <dt>Sicht</dt>
        <dd>
          {audience} <span className="facts-note">({rule})</span>
        </dd>
      </div>
      <div>
        <dt>Zeitraum</dt>
        <dd>
          Jahr {table.period}{' '}
          <span className="facts-note">
            {table.closed
              ? '(abgeschlossen, Zahlen ändern sich nicht mehr)'
              : '(laufend: neue Zahlen einmal im Monat, wenn sich genug Fälle geändert haben)'}
          </span>
        </dd>
      </div>
      <div>
        <dt>Stand</dt>
        <dd>
          {formatDate(table.asOf)}{' '}
          <span className="facts-note">(veröffentlicht {formatDateTime(table.computedAt)})</span>{' '}
          <span className="live-status no-print" data-state={liveState}>
            {liveState === 'connected' ? 'aktualisiert sich live' : 'Live-Verbindung wird aufgebaut …'}
          </span>
        </dd>
      </div>
    </dl>
  );
}

function Section({
  title,
  error,
  wide,
  children,
}: {
  title: string;
  error?: string;
  wide?: boolean;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section className={`figure${wide ? ' figure-wide' : ''}`} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : (
        children
      )}
    </section>
  );
}

/** A table that scrolls sideways inside its card on a phone; reachable by keyboard, with a name. */
function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1, axe scrollable-region-focusable).
    <section className="table-scroll" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}

/** A table cell that says what it is; suppressed cells carry a visible marker and an explanation. */
function Value({ shown }: { shown: ShownCell }) {
  if (shown.suppressed) {
    return (
      <span className="suppressed" title={shown.explanation}>
        {shown.text}
        <span className="visually-hidden"> ({shown.explanation})</span>
      </span>
    );
  }
  return <span title={shown.explanation}>{shown.text}</span>;
}

const seriesCells = (table: StatisticsTable, keys: string[][]) =>
  keys.map((key) => {
    const cell: Cell | undefined = cellAt(table, ...key);
    return { value: cell?.value ?? null, shown: showCell(cell, table) };
  });

function StagesView({ table }: { table: StatisticsTable }) {
  const stages = categoriesOf(table, 'STAGE');
  const cells = seriesCells(
    table,
    stages.map((s) => [s]),
  );
  const total = showCell(cellAt(table, '*'), table);
  return (
    <>
      <BarChart
        categories={stages.map((s) => STAGES[s] ?? s)}
        series={[{ label: 'Fälle', color: COLORS.blue, cells }]}
        horizontal
        description={`Balkendiagramm: Fälle ${table.period} nach Phase. Alle Werte stehen in der Tabelle darunter.`}
        height={420}
        fitScreen
      />
      <TableScroll label={`Tabelle: Fälle ${table.period} nach Phase`}>
        <table className="figures">
          <caption>Fälle {table.period} nach Phase (am Ende des Zeitraums)</caption>
          <thead>
            <tr>
              <th scope="col">Phase</th>
              <th scope="col">Fälle</th>
            </tr>
          </thead>
          <tbody>
            {stages.map((stage, i) => (
              <tr key={stage}>
                <th scope="row">{STAGES[stage] ?? stage}</th>
                <td>
                  <Value shown={cells[i]!.shown} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Summe</th>
              <td>
                <Value shown={total} />
              </td>
            </tr>
          </tfoot>
        </table>
      </TableScroll>
    </>
  );
}

/** "2026-Q3" → "3. Quartal" (the year stands in the heading). */
const quarterName = (period: string) => formatPeriod(period).replace(/ \d{4}$/, '');

function TransitionsView({ ausbildung, work }: { ausbildung: StatisticsTable; work: StatisticsTable }) {
  const quarters = categoriesOf(ausbildung, 'PERIOD');
  const series: Series[] = [
    {
      label: 'in Ausbildung',
      color: COLORS.blue,
      cells: seriesCells(
        ausbildung,
        quarters.map((q) => [q]),
      ),
    },
    {
      label: 'in Arbeit',
      color: COLORS.orange,
      cells: seriesCells(
        work,
        quarters.map((q) => [q]),
      ),
    },
  ];
  return (
    <>
      <BarChart
        categories={quarters.map(quarterName)}
        series={series}
        description={`Balkendiagramm: Übergänge in Ausbildung und in Arbeit je Quartal ${ausbildung.period}. Alle Werte stehen in der Tabelle darunter.`}
        height={420}
        fitScreen
      />
      <TableScroll label={`Tabelle: Übergänge je Quartal ${ausbildung.period}`}>
        <table className="figures">
          <caption>Übergänge je Quartal {ausbildung.period}</caption>
          <thead>
            <tr>
              <th scope="col">Quartal</th>
              <th scope="col">in Ausbildung</th>
              <th scope="col">in Arbeit</th>
            </tr>
          </thead>
          <tbody>
            {quarters.map((quarter, i) => (
              <tr key={quarter}>
                <th scope="row">{quarterName(quarter)}</th>
                <td>
                  <Value shown={series[0]!.cells[i]!.shown} />
                </td>
                <td>
                  <Value shown={series[1]!.cells[i]!.shown} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Jahr {ausbildung.period}</th>
              <td>
                <Value shown={showCell(cellAt(ausbildung, '*'), ausbildung)} />
              </td>
              <td>
                <Value shown={showCell(cellAt(work, '*'), work)} />
              </td>
            </tr>
          </tfoot>
        </table>
      </TableScroll>
    </>
  );
}

function StatusAgeView({ table }: { table: StatisticsTable }) {
  const statuses = categoriesOf(table, 'RESIDENCE_STATUS');
  const ages = categoriesOf(table, 'AGE_BAND');
  const colors = [COLORS.blue, COLORS.orange, COLORS.green];
  const series: Series[] = ages.map((age, i) => ({
    label: AGE_BANDS[age] ?? age,
    color: colors[i % colors.length]!,
    cells: seriesCells(
      table,
      statuses.map((s) => [s, age]),
    ),
  }));
  return (
    <>
      <BarChart
        categories={statuses.map((s) => RESIDENCE_STATUSES[s] ?? s)}
        series={series}
        horizontal
        description={`Balkendiagramm: Fälle ${table.period} nach Aufenthaltsstatus und Altersgruppe. Alle Werte stehen in der Tabelle darunter.`}
        height={Math.max(520, statuses.length * 70)}
      />
      <TableScroll label={`Tabelle: Fälle ${table.period} nach Aufenthaltsstatus und Altersgruppe`}>
        <table className="figures">
          <caption>Fälle {table.period} nach Aufenthaltsstatus und Altersgruppe, mit Summen</caption>
          <thead>
            <tr>
              <th scope="col">Aufenthaltsstatus</th>
              {ages.map((age) => (
                <th scope="col" key={age}>
                  {AGE_BANDS[age] ?? age}
                </th>
              ))}
              <th scope="col">Summe</th>
            </tr>
          </thead>
          <tbody>
            {statuses.map((status) => (
              <tr key={status}>
                <th scope="row">{RESIDENCE_STATUSES[status] ?? status}</th>
                {[...ages, '*'].map((age) => (
                  <td key={age}>
                    <Value shown={showCell(cellAt(table, status, age), table)} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Summe</th>
              {[...ages, '*'].map((age) => (
                <td key={age}>
                  <Value shown={showCell(cellAt(table, '*', age), table)} />
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </TableScroll>
    </>
  );
}

/** Why numbers are missing: the rules in plain German, with this audience's own k. */
function Legend({ table }: { table: StatisticsTable }) {
  const k = table.minimumCellSize;
  return (
    <section className="legend" aria-labelledby="legende">
      <h2 id="legende">Warum manche Zahlen fehlen</h2>
      <dl>
        <div>
          <dt>
            <span className="suppressed">unterdrückt</span>
          </dt>
          <dd>
            Unterdrückt: zu kleine Zahl oder zum Schutz einer kleinen Zahl. Fallzahlen unter {k} werden nicht
            gezeigt, damit niemand erkennbar wird („die eine geduldete Frau zwischen 25 und 27 aus Land X“) —
            und so viele weitere, dass sich keine aus Summen und anderen Tabellen eingrenzen lässt. Welche
            Zahl klein ist, sagt die Tabelle nicht: auch das ließe sie zurückrechnen.
          </dd>
        </div>
        {table.roundingBase !== null && (
          <div>
            <dt>≈ 25</dt>
            <dd>
              In der öffentlichen Sicht sind alle Zahlen auf {table.roundingBase} gerundet; Summen können
              deshalb von der Summe der Einzelwerte abweichen.
            </dd>
          </div>
        )}
        <div>
          <dt>0</dt>
          <dd>Niemand in dieser Gruppe. Eine Null beschreibt keine Person und wird gezeigt.</dd>
        </div>
      </dl>
      <p className="hint">
        Dieselbe Zelle wird in jeder Abfrage gleich behandelt, damit sich gesperrte Werte auch nicht durch den
        Vergleich mehrerer Tabellen ermitteln lassen.
      </p>
    </section>
  );
}
