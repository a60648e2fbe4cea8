import { StatisticsDimension } from '../../src/domain/statistics.js';

const ATTRIBUTES = Object.values(StatisticsDimension).filter((d) => d !== StatisticsDimension.PERIOD);
/** Every pair of attribute dimensions: the 2-dimension tables of the meeting page. */
export const PAIRS = ATTRIBUTES.flatMap((a, i) => ATTRIBUTES.slice(i + 1).map((b) => [a, b]));

export const FIRST_OPEN = 'open year, first request of a table (release protected ahead)';
export const FIRST_CLOSED = 'closed year, first request of a table (final release)';
export const REPEATED = 'any year, repeated request';

/**
 * Wall times (ms) of 2-dimension CASES tables over HTTP, sequential: for every dimension pair the open
 * year (2026) and a closed year (2025) once each (first request), then `rounds` repeats of both.
 */
export async function statisticsTimings(
  origin: string,
  token: string,
  rounds: number,
): Promise<Record<string, number[]>> {
  const ask = async (dimensions: string[], year: number) => {
    const started = performance.now();
    const response = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `query($d: [StatisticsDimension!]!, $y: Int!) { caseStatistics(measure: CASES, dimensions: $d, period: {year: $y}) { suppressedCells cells { key value status } } }`,
        variables: { d: dimensions, y: year },
      }),
    });
    const body = (await response.json()) as { errors?: { message: string }[] };
    if (body.errors) throw new Error(body.errors[0]!.message);
    return performance.now() - started;
  };
  const timings: Record<string, number[]> = { [FIRST_OPEN]: [], [FIRST_CLOSED]: [], [REPEATED]: [] };
  for (const pair of PAIRS) {
    timings[FIRST_OPEN]!.push(await ask(pair, 2026));
    timings[FIRST_CLOSED]!.push(await ask(pair, 2025));
    for (let i = 0; i < rounds; i++) {
      timings[REPEATED]!.push(await ask(pair, 2026));
      timings[REPEATED]!.push(await ask(pair, 2025));
    }
  }
  return timings;
}
