/**
 * Issue 18, point 4: the informed outsider. Harvests every table a tier allows over HTTP (every measure,
 * stage, dimension set, filter slice and period level of 2025 and the open year 2026), adds every
 * relation the tables state, non-negativity, rounding intervals, published figures, the documented
 * method (a published count is 0 or ≥ k) and integrality, and solves for each hidden cell's minimum
 * and maximum (HiGHS LP, then MILP where the LP leaves a cell narrow). Scored against the service's
 * own counts (audit()). Then the open year over time: figures before and after one case is created
 * and another closed through the API, and after the test clock passes the release period; and two
 * releases attacked together, the second cut after an insider pushed ten cases into a hidden cell.
 *
 * ATTACK_MAX_DIMENSIONS (default 2) caps the harvest below a tier's own limit (today's partner tier
 * allows 3; the rewrite's allows 2). ATTACK_SCALE_CASES (default 2000) sizes the larger population.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedScale } from '../seeds/scale.js';
import { PUBLIC_VIEWER, type Viewer } from '../src/auth/viewer.js';
import { today } from '../src/domain/calendar.js';
import { Role } from '../src/domain/enums.js';
import { StatisticsAudience } from '../src/domain/statistics.js';
import { type AttackResult, attack } from './helpers/attack.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import {
  type Harvest,
  harvest,
  inconsistencies,
  isShown,
  type Knowledge,
  knowledge,
  kOf,
  truth,
} from './helpers/statistics-harvest.js';
import { tokenFor } from './helpers/tokens.js';

const YEARS = [2025, 2026];
const OPEN_YEAR = 2026;
const MAX_DIMENSIONS = Number(process.env.ATTACK_MAX_DIMENSIONS ?? 2);
// Over time, the populations attacked across two releases: the stock (whose snapshot days both
// releases share) and one flow (whose months they share); the other flows repeat the same rule.
const OVER_TIME_STAGES = (process.env.ATTACK_OVER_TIME_STAGES ?? 'AUSBILDUNG').split(',');
const SCALE_CASES = Number(process.env.ATTACK_SCALE_CASES ?? 2000);
// Today's labels as bounds (the "before" figures of issue 18): doubles the solving, so on request.
const LABELS = process.env.ATTACK_LABELS === '1';
// Every hidden cell an attack claims to check is solved (no deadline by default; a test fails on any
// left unresolved). To stay within a few minutes on a shared 2-core machine, each population attacks
// the years it speaks for, exhaustively: the demo the open year (also over time), the seeded one the
// closed year. ATTACK_YEARS_DEMO / ATTACK_YEARS_SCALE (comma-separated) widen them.
const DEADLINE = Number(process.env.ATTACK_DEADLINE_MS ?? 0) || Number.POSITIVE_INFINITY;
const years = (value: string | undefined, fallback: number[]) =>
  value ? value.split(',').map(Number) : fallback;
const DEMO_ATTACK_YEARS = years(process.env.ATTACK_YEARS_DEMO, [2026]);
const SCALE_ATTACK_YEARS = years(process.env.ATTACK_YEARS_SCALE, [2025]);
// The attacker sends a few hundred operations a minute: within a real deployment's budget over a few
// minutes, but not within one minute's.
const ENV = { RATE_LIMIT_QUERIES_PER_VIEWER: '100000', RATE_LIMIT_QUERIES_PER_ADDRESS: '100000' };

interface Population {
  label: string;
  hub: TestHub;
  partnerViewer: Viewer;
  partnerToken: string;
  harvests: Record<'PUBLIC' | 'PARTNER', Harvest>;
  counts: Map<string, number>;
  conflicts: string[];
}

async function populate(label: string, hub: TestHub): Promise<Population> {
  const partner = await tokenFor(hub.hub.database.orm, [Role.PARTNER_STAFF]);
  const partnerViewer: Viewer = {
    kind: 'account',
    accountId: partner.accountId,
    organisationId: partner.organisationId,
    roles: new Set([Role.PARTNER_STAFF]),
  };
  const options = { years: YEARS, maxDimensions: MAX_DIMENSIONS };
  const pub = await harvest(hub, StatisticsAudience.PUBLIC, undefined, options);
  const par = await harvest(hub, StatisticsAudience.PARTNER, partner.token, options);
  const a = await truth(hub, PUBLIC_VIEWER, pub.tables, pub.observations);
  const b = await truth(hub, partnerViewer, par.tables, par.observations);
  const counts = new Map([...a.counts, ...b.counts]);
  const conflicts = [...a.conflicts, ...b.conflicts];
  for (const [v, n] of a.counts)
    if (b.counts.has(v) && b.counts.get(v) !== n) conflicts.push(`${v}: ${n} vs ${b.counts.get(v)}`);
  return {
    label,
    hub,
    partnerViewer,
    partnerToken: partner.token,
    harvests: { PUBLIC: pub, PARTNER: par },
    counts,
    conflicts,
  };
}

interface Score {
  hidden: number;
  small: number;
  narrowest: number;
  narrowestCell?: string;
  narrow: string[];
  exact: string[];
  result: AttackResult;
}

/** The attack on one body of knowledge, scored: hidden positive counts of the attacker's own tier. */
async function score(
  known: Knowledge,
  relations: Harvest['relations'],
  attackerTier: Harvest['tier'],
  counts: ReadonlyMap<string, number>,
  only?: (variable: string) => boolean,
  focus?: ReadonlySet<string>,
): Promise<Score> {
  const targets = new Map<string, { n: number; threshold: number }>();
  let small = 0;
  let hidden = 0;
  for (const v of known.hidden) {
    if (only && !only(v)) continue;
    hidden++;
    const n = counts.get(v);
    if (n === undefined || n === 0) continue;
    const k = kOf(attackerTier, known.fixed[v] ?? {});
    if (n < k) small++;
    targets.set(v, { n, threshold: n < k ? k + 1 : 2 });
  }
  const result = await attack({
    relations,
    bounds: known.bounds,
    semi: known.semi,
    targets,
    deadlineMs: DEADLINE,
    focus,
  });
  const narrow: string[] = [];
  const exact: string[] = [];
  let narrowest = Number.POSITIVE_INFINITY;
  let narrowestCell: string | undefined;
  for (const [v, r] of result.ranges) {
    const { n } = targets.get(v)!;
    const k = kOf(attackerTier, known.fixed[v] ?? {});
    const width = r.max - r.min;
    if (r.min === r.max) exact.push(`${v} = ${r.min} (true ${n}, ${r.how})`);
    if (n < k) {
      if (width < narrowest) {
        narrowest = width;
        narrowestCell = `${v} ∈ [${r.min}, ${r.max}] (true ${n}, k ${k}, ${r.how})`;
      }
      if (width < k) narrow.push(`${v} ∈ [${r.min}, ${r.max}] (true ${n}, k ${k}, ${r.how})`);
    }
  }
  return { hidden, small, narrowest, narrowestCell, narrow, exact, result };
}

/** Of the cells with n ≥ k in the tier's 2-dimension tables, the share that is published. */
function utility(h: Harvest, counts: ReadonlyMap<string, number>) {
  let eligible = 0;
  let published = 0;
  for (const o of h.observations) {
    if (!o.twoDimensional || o.median) continue;
    const n = counts.get(o.variable) ?? 0;
    if (n < kOf(h.tier, o.fixed)) continue;
    eligible++;
    if (isShown(o.status)) published++;
  }
  return eligible === 0 ? 1 : published / eligible;
}

const hasLabels = (h: Harvest) =>
  LABELS &&
  h.observations.some((o) => o.status === 'PRIMARY_SUPPRESSED' || o.status === 'SECONDARY_SUPPRESSED');

function summary(population: string, tier: string, h: Harvest[], s: Score, loss: number, labels?: Score) {
  const tables = h.reduce((n, x) => n + x.tables.length, 0);
  const requests = h.reduce((n, x) => n + x.requests, 0);
  console.log(
    `[attack] ${population} · ${tier}: tables ${tables}, requests ${requests}, hidden cells ${s.hidden}, ` +
      `hidden 0<n<k ${s.small}, narrowest interval of such a cell ${Number.isFinite(s.narrowest) ? +s.narrowest.toFixed(3) : '—'}` +
      `${s.narrowestCell ? ` (${s.narrowestCell})` : ''}, narrowed below k ${s.narrow.length}, exact recoveries ${s.exact.length}, ` +
      `n≥k published in 2-dim tables ${(100 * loss).toFixed(1)} %; ` +
      `LP ${s.result.lpSolves} (${Math.round(s.result.lpMillis)} ms), MILP solves ${s.result.milpSolves} for ${s.result.narrowAfterLp} LP-narrow cells, components ${s.result.components} (largest ${s.result.largestComponent}), ` +
      `unresolved ${s.result.unresolved}, infeasible ${s.result.infeasible}, broken relations ${s.result.broken.length}, ${Math.round(s.result.millis)} ms` +
      (labels
        ? ` | with today's labels as bounds: narrowed below k ${labels.narrow.length}, exact ${labels.exact.length}, narrowest ${labels.narrowest}`
        : ''),
  );
  for (const line of [...s.exact.slice(0, 4), ...s.narrow.slice(0, 4)]) console.log(`[attack]   ${line}`);
}

/** Both tiers attacked, every hidden cell of the years given (the harvest holds every year). */
async function attackTiers(p: Population, years: readonly number[]) {
  const only = (v: string) => years.some((y) => v.startsWith(`${y}|`));
  const pub = p.harvests.PUBLIC;
  const par = p.harvests.PARTNER;
  const publicKnown = knowledge([{ harvest: pub }]);
  const publicScore = await score(publicKnown, pub.relations, pub.tier, p.counts, only);
  const publicLabels = hasLabels(pub)
    ? await score(knowledge([{ harvest: pub, labels: true }]), pub.relations, pub.tier, p.counts)
    : undefined;
  summary(p.label, 'PUBLIC', [pub], publicScore, utility(pub, p.counts), publicLabels);

  const relations = union(par.relations, pub.relations);
  const partnerKnown = knowledge([{ harvest: par }, { harvest: pub }]);
  const partnerScore = await score(partnerKnown, relations, par.tier, p.counts, only);
  const partnerLabels = hasLabels(par)
    ? await score(
        knowledge([
          { harvest: par, labels: true },
          { harvest: pub, labels: true },
        ]),
        relations,
        par.tier,
        p.counts,
      )
    : undefined;
  summary(p.label, 'PARTNER + PUBLIC', [par, pub], partnerScore, utility(par, p.counts), partnerLabels);
  return { publicScore, partnerScore };
}

/** Relations of several harvests, each once. */
function union(...lists: Harvest['relations'][]) {
  const out = new Map<string, Harvest['relations'][number]>();
  for (const list of lists)
    for (const r of list) out.set(`${r.parent}=${[...r.children].sort().join('+')}`, r);
  return [...out.values()];
}

function expectProtected(s: Score) {
  expect(s.result.infeasible, 'components the figures make infeasible (model of the method wrong)').toBe(0);
  expect(s.result.unresolved, 'hidden cells left unattacked at the deadline').toBe(0);
  expect(s.exact, 'hidden positive counts recovered exactly').toEqual([]);
  expect(s.narrow, 'hidden cells with 0 < n < k narrowed below k').toEqual([]);
}

function expectConsistent(p: Population) {
  for (const h of Object.values(p.harvests)) {
    expect(h.errors.map((e) => `${JSON.stringify(e.spec)}: ${e.message}`)).toEqual([]);
    expect(inconsistencies(h.observations), 'cells answered differently by two queries').toEqual([]);
  }
  expect(p.conflicts, 'true counts of one variable disagree (the canonical mapping is wrong)').toEqual([]);
}

// ---------------------------------------------------------------------------------------------------

let clock = new Date();
const now = () => clock;
let demo: Population;
let demoAttack: Awaited<ReturnType<typeof attackTiers>>;

describe('statistics attack: the informed outsider on the demo data (207 cases)', () => {
  beforeAll(async () => {
    const hub = await startTestHub('stat_attack_demo', { env: ENV, now });
    demo = await populate('demo (207 cases)', hub);
    demoAttack = await attackTiers(demo, DEMO_ATTACK_YEARS);
  }, 300_000);
  afterAll(async () => {
    await demo?.hub.stop();
  });

  it('answers every harvested cell the same in every query', () => {
    expectConsistent(demo);
  });

  it('PUBLIC tables alone: no hidden small count narrowed below k, no hidden count recovered', () => {
    expectProtected(demoAttack.publicScore);
  });

  it('PARTNER tables with the public ones beside them: no hidden small count narrowed below k, none recovered', () => {
    expectProtected(demoAttack.partnerScore);
  });

  describe('over time, within the open year', () => {
    const ATTRIBUTES = {
      ageBand: 'AGE_21_24',
      gender: 'F',
      nationalityGroup: 'SY',
      residenceStatus: 'DULDUNG_UNGEKLAERTE_IDENTITAET',
      schoolLevel: 'LOWER_SECONDARY',
      germanLevel: 'A2',
    };
    const KNOWN = {
      AGE_BAND: ATTRIBUTES.ageBand,
      GENDER: ATTRIBUTES.gender,
      NATIONALITY_GROUP: ATTRIBUTES.nationalityGroup,
    };
    const openYear = (v: string) => v.startsWith(`${OPEN_YEAR}|`);
    const partnerHarvest = () =>
      harvest(demo.hub, StatisticsAudience.PARTNER, demo.partnerToken, {
        years: [OPEN_YEAR],
        maxDimensions: MAX_DIMENSIONS,
      });
    const answers = (h: Harvest) => {
      const out = new Map<string, { status: string; value: number | null }>();
      for (const o of h.observations) if (!o.median && openYear(o.variable)) out.set(o.variable, o);
      return out;
    };
    const differences = (a: Harvest, b: Harvest) => {
      const before = answers(a);
      const out: {
        variable: string;
        before?: { status: string; value: number | null };
        after: { status: string; value: number | null };
      }[] = [];
      for (const [v, after] of answers(b)) {
        const x = before.get(v);
        if (!x || x.status !== after.status || x.value !== after.value)
          out.push({ variable: v, before: x, after });
      }
      return out;
    };

    /**
     * The passive reader knows the new person's age band, gender and nationality group and that one
     * case was added: every attribute combination (stage, residence status, school and German level,
     * organisation kind: 37,422) is checked against the cells published before and after. A CASES
     * snapshot on or after the intake day must change by exactly 1 where the person would be counted,
     * by 0 elsewhere; flows do not change (a new case has no stage change). `closing` relaxes this: one
     * unknown case may also have left any cell (a change of −1 is explained by it).
     */
    function consistentCombinations(a: Harvest, b: Harvest, intake: string, closing: boolean) {
      const before = answers(a);
      const after = answers(b);
      const constraints: { fixed: [string, string][]; delta: number; counts: boolean }[] = [];
      const fixedOf = new Map(b.observations.map((o) => [o.variable, o.fixed]));
      for (const [v, x] of before) {
        const y = after.get(v);
        if (
          !y ||
          x.status !== 'PUBLISHED' ||
          y.status !== 'PUBLISHED' ||
          x.value === null ||
          y.value === null
        )
          continue;
        const [, population, time] = v.split('|');
        const fixed = Object.entries(fixedOf.get(v) ?? {});
        constraints.push({
          fixed,
          delta: y.value - x.value,
          counts: population === 'CASES' && time >= intake,
        });
      }
      if (constraints.every((c) => c.delta === 0) && differences(a, b).length === 0)
        return { consistent: 37_422, constraints: constraints.length };
      const domains: Record<string, string[]> = {};
      for (const t of b.tables) for (const c of t.categories) domains[c.dimension] ??= c.values;
      const open = ['STAGE', 'RESIDENCE_STATUS', 'SCHOOL_LEVEL', 'GERMAN_LEVEL', 'ORGANISATION_KIND'];
      let combos: Record<string, string>[] = [{ ...KNOWN }];
      for (const d of open)
        combos = combos.flatMap((c) => (domains[d] ?? []).map((value) => ({ ...c, [d]: value })));
      let consistent = 0;
      for (const combo of combos) {
        let ok = true;
        for (const c of constraints) {
          const inside = c.counts && c.fixed.every(([d, value]) => combo[d] === value) ? 1 : 0;
          const residual = c.delta - inside;
          if (residual === 0 || (closing && residual === -1)) continue;
          ok = false;
          break;
        }
        if (ok) consistent++;
      }
      return { consistent, constraints: constraints.length, combinations: combos.length };
    }

    it('neither the insider nor a passive reader learns anything from one case created and one closed, nor after the next release period', async () => {
      const started = performance.now();
      const cm = await tokenFor(demo.hub.hub.database.orm, [Role.CASE_MANAGER]);
      const h1 = await partnerHarvest();
      const t1 = (await truth(demo.hub, demo.partnerViewer, h1.tables, h1.observations)).counts;
      const intake = today();
      const created = await demo.hub.gql<any>(
        'mutation($i: CreateCaseInput!) { createCase(input: $i) { id version } }',
        { i: { intakeDate: intake, ...ATTRIBUTES } },
        { token: cm.token },
      );
      expect(created.errors).toBeUndefined();
      const ha = await partnerHarvest();
      const ta = (await truth(demo.hub, demo.partnerViewer, ha.tables, ha.observations)).counts;
      const own = await demo.hub.gql<any>(
        '{ cases(first: 50, filter: { open: true }) { nodes { id version } } }',
        {},
        { token: cm.token },
      );
      const other = own.data.cases.nodes.find((n: { id: string }) => n.id !== created.data.createCase.id);
      const closed = await demo.hub.gql<any>(
        'mutation($i: CloseCaseInput!) { closeCase(input: $i) { id } }',
        { i: { id: other.id, version: other.version } },
        { token: cm.token },
      );
      expect(closed.errors).toBeUndefined();
      const h2 = await partnerHarvest();
      const t2 = (await truth(demo.hub, demo.partnerViewer, h2.tables, h2.observations)).counts;

      // The insider knows what they changed: a later figure minus their own change is an old figure.
      // With the same release (same asOf) the figures cannot contain the change: nothing to subtract.
      const shift = (h: Harvest, t: Map<string, number>) => {
        const out = new Map<string, number>();
        const same = h.asOf.get(OPEN_YEAR) && h.asOf.get(OPEN_YEAR) === h1.asOf.get(OPEN_YEAR);
        if (same) return out;
        for (const [v, n] of t) out.set(v, n - (t1.get(v) ?? 0));
        return out;
      };
      const insider = async (later: { h: Harvest; t: Map<string, number> }[]) => {
        const known = knowledge([
          { harvest: h1 },
          ...later.map(({ h, t }) => ({ harvest: h, shift: shift(h, t) })),
        ]);
        const relations = union(h1.relations, ...later.map(({ h }) => h.relations));
        // Only where the later figures tell more than the first harvest alone can the insider learn more:
        // the other components were attacked above (and, with no change at all, nothing is solved).
        const alone = knowledge([{ harvest: h1 }]);
        const focus = new Set<string>();
        for (const [v, b] of known.bounds) {
          const a = alone.bounds.get(v);
          if (!a || a.min !== b.min || a.max !== b.max) focus.add(v);
        }
        return score(known, relations, h1.tier, t1, openYear, focus);
      };
      const report = (
        label: string,
        a: Harvest,
        b: Harvest,
        s: Score,
        passive: ReturnType<typeof consistentCombinations>,
      ) => {
        const diff = differences(a, b);
        console.log(
          `[attack] over time · ${label}: asOf ${a.asOf.get(OPEN_YEAR)} → ${b.asOf.get(OPEN_YEAR)}, cells changed ${diff.length} ` +
            `(hidden→shown ${diff.filter((d) => d.before && !isShown(d.before.status) && isShown(d.after.status)).length}, ` +
            `status changed ${diff.filter((d) => d.before && d.before.status !== d.after.status).length}); insider: hidden ${s.hidden}, ` +
            `exact recoveries ${s.exact.length}, narrowed below k ${s.narrow.length}, narrowest ${s.narrowest} (${s.result.solvedComponents} components re-solved); passive reader: ` +
            `${passive.consistent} of ${passive.combinations ?? 37_422} combinations consistent (${passive.constraints} cells compared)`,
        );
        for (const line of [...s.exact.slice(0, 3), ...s.narrow.slice(0, 3)])
          console.log(`[attack]   ${line}`);
      };

      const afterCreate = await insider([{ h: ha, t: ta }]);
      const passiveCreate = consistentCombinations(h1, ha, intake, false);
      report('one case created', h1, ha, afterCreate, passiveCreate);
      const afterBoth = await insider([
        { h: ha, t: ta },
        { h: h2, t: t2 },
      ]);
      const passiveBoth = consistentCombinations(h1, h2, intake, true);
      report('and one closed', h1, h2, afterBoth, passiveBoth);

      // The release period (a month) ends with only these two changes.
      clock = new Date(Date.UTC(clock.getUTCFullYear(), clock.getUTCMonth() + 1, 2, 12));
      const h3 = await partnerHarvest();
      const t3 = (await truth(demo.hub, demo.partnerViewer, h3.tables, h3.observations)).counts;
      const afterRelease = await insider([
        { h: ha, t: ta },
        { h: h2, t: t2 },
        { h: h3, t: t3 },
      ]);
      const passiveRelease = consistentCombinations(h1, h3, intake, true);
      report(
        `after the release period (clock ${clock.toISOString().slice(0, 10)})`,
        h1,
        h3,
        afterRelease,
        passiveRelease,
      );
      console.log(`[attack] over time: ${Math.round(performance.now() - started)} ms`);

      for (const s of [afterCreate, afterBoth, afterRelease]) {
        expect(s.exact, 'old hidden counts the insider recovers exactly').toEqual([]);
        expect(s.narrow, 'old hidden small counts the insider narrows below k').toEqual([]);
      }
      for (const p of [passiveCreate, passiveBoth, passiveRelease])
        expect(p.consistent, 'attribute combinations consistent with the differences').not.toBe(1);
      expect(differences(h1, h2).length, 'cells changed by one case created and one closed').toBe(0);
      expect(differences(h1, h3).length, 'cells changed after a release period with two changes').toBe(0);
    }, 300_000);

    /**
     * Two releases of the open year: the reader keeps release 1 and reads release 2, cut after an
     * insider entered ten cases into one cell that release 1 hides. A cell of the same name with the
     * same true count in both releases is one unknown (the same people); every other cell of release 2
     * is a new one. Attacked together: nothing of either release may be narrowed. The insider also
     * reads release 2's last snapshot day as release 1's plus the ten own cases (nothing else changed
     * here, so that is exact): no old hidden count may come back.
     */
    it('a reader who keeps release 1 and reads release 2 learns no hidden count of either; an insider pushing ten cases into a hidden cell learns nothing of it', async () => {
      const started = performance.now();
      const options = { years: [OPEN_YEAR], maxDimensions: MAX_DIMENSIONS, stages: OVER_TIME_STAGES };
      const both = async () => {
        const par = await harvest(demo.hub, StatisticsAudience.PARTNER, demo.partnerToken, options);
        const pub = await harvest(demo.hub, StatisticsAudience.PUBLIC, undefined, options);
        const a = (await truth(demo.hub, demo.partnerViewer, par.tables, par.observations)).counts;
        const b = (await truth(demo.hub, PUBLIC_VIEWER, pub.tables, pub.observations)).counts;
        return { par, pub, t: new Map([...b, ...a]) };
      };
      const r1 = await both();
      const day1 = r1.par.asOf.get(OPEN_YEAR)!;
      const target = r1.par.observations.find(
        (o) =>
          !o.median &&
          o.variable.startsWith(`${OPEN_YEAR}|CASES|${day1}|AGE_BAND=`) &&
          o.variable.includes(';RESIDENCE_STATUS=') &&
          !isShown(o.status) &&
          (r1.t.get(o.variable) ?? 0) > 0 &&
          (r1.t.get(o.variable) ?? 0) < kOf(r1.par.tier, o.fixed),
      );
      expect(target, 'a hidden small cell of release 1 to push').toBeDefined();
      const { AGE_BAND: ageBand, RESIDENCE_STATUS: residenceStatus } = target!.fixed;

      clock = new Date(Date.UTC(clock.getUTCFullYear(), clock.getUTCMonth() + 1, 2, 12));
      const cm = await tokenFor(demo.hub.hub.database.orm, [Role.CASE_MANAGER]);
      const PUSHED = 10;
      for (let i = 0; i < PUSHED; i++) {
        const created = await demo.hub.gql<any>(
          'mutation($i: CreateCaseInput!) { createCase(input: $i) { id } }',
          { i: { ...ATTRIBUTES, intakeDate: today(), ageBand, residenceStatus } },
          { token: cm.token },
        );
        expect(created.errors).toBeUndefined();
      }
      demo.hub.hub.statistics.refresh();
      const r2 = await both();
      const day2 = r2.par.asOf.get(OPEN_YEAR)!;
      expect(day2, 'a new release was cut').not.toBe(day1);

      // Release 2's cells that are not release 1's people get names of their own.
      const same = (v: string) => r1.t.has(v) && r1.t.get(v) === r2.t.get(v);
      const rename = (v: string) => (same(v) || !r1.t.has(v) ? v : `${v}#2`);
      const renamed = (h: Harvest): Harvest => ({
        ...h,
        observations: h.observations.map((o) => ({ ...o, variable: rename(o.variable) })),
        relations: h.relations.map((r) => ({ parent: rename(r.parent), children: r.children.map(rename) })),
      });
      const merged = (a: Harvest, b: Harvest): Harvest => ({
        ...a,
        observations: [...a.observations, ...renamed(b).observations],
        relations: union(a.relations, renamed(b).relations),
      });
      const counts = new Map(r1.t);
      for (const [v, n] of r2.t) counts.set(rename(v), n);
      const par = merged(r1.par, r2.par);
      const pub = merged(r1.pub, r2.pub);
      const passivePublic = await score(knowledge([{ harvest: pub }]), pub.relations, pub.tier, counts);
      const passivePartner = await score(
        knowledge([{ harvest: par }, { harvest: pub }]),
        union(par.relations, pub.relations),
        par.tier,
        counts,
      );
      let shownAgain = 0;
      const status1 = new Map(r1.par.observations.map((o) => [o.variable, o.status]));
      for (const o of r2.par.observations)
        if (!o.median && same(o.variable) && status1.has(o.variable) && !isShown(status1.get(o.variable)!))
          if (isShown(o.status)) shownAgain++;

      // The insider: release 2's last day minus the own cases is release 1's last day.
      const onDay1 = (v: string) => v.replace(`|CASES|${day2}|`, `|CASES|${day1}|`);
      const shifted: Harvest = {
        ...r2.par,
        observations: r2.par.observations
          .filter((o) => o.variable.includes(`|CASES|${day2}|`))
          .map((o) => ({ ...o, variable: onDay1(o.variable) })),
        relations: r2.par.relations
          .filter((r) => r.parent.includes(`|CASES|${day2}|`))
          .map((r) => ({ parent: onDay1(r.parent), children: r.children.map(onDay1) })),
      };
      const shift = new Map<string, number>();
      for (const [v, n] of r2.t)
        if (v.includes(`|CASES|${day2}|`)) shift.set(onDay1(v), n - (r1.t.get(onDay1(v)) ?? 0));
      const alone = knowledge([{ harvest: r1.par }, { harvest: r1.pub }]);
      const insiderKnown = knowledge([{ harvest: r1.par }, { harvest: r1.pub }, { harvest: shifted, shift }]);
      const focus = new Set<string>();
      for (const [v, b] of insiderKnown.bounds) {
        const a = alone.bounds.get(v);
        if (!a || a.min !== b.min || a.max !== b.max) focus.add(v);
      }
      const insider = await score(
        insiderKnown,
        union(r1.par.relations, r1.pub.relations, shifted.relations),
        r1.par.tier,
        r1.t,
        undefined,
        focus,
      );
      const pushed = r2.par.observations.find(
        (o) => o.variable === target!.variable.replace(`|${day1}|`, `|${day2}|`),
      );
      const utility1 = utility(r1.par, r1.t);
      const utility2 = utility(r2.par, r2.t);
      console.log(
        `[attack] over time · two releases (${day1} → ${day2}, ${PUSHED} cases pushed into ${target!.variable}, true ${r1.t.get(target!.variable)}): ` +
          `release 2 shows it ${pushed?.status} ${pushed?.value ?? ''}; cells hidden in release 1 shown again with the same count ${shownAgain}; ` +
          `partner n≥k published in 2-dim tables ${(100 * utility1).toFixed(1)} % → ${(100 * utility2).toFixed(1)} %; ${Math.round(performance.now() - started)} ms`,
      );
      summary('demo, releases 1 + 2', 'PUBLIC', [r1.pub, r2.pub], passivePublic, utility(r2.pub, r2.t));
      summary('demo, releases 1 + 2', 'PARTNER + PUBLIC', [r1.par, r2.par], passivePartner, utility2);
      summary('demo, insider pushing one cell', 'PARTNER + PUBLIC', [r1.par, shifted], insider, utility2);

      expect(shownAgain, 'cells hidden in release 1 published by release 2 with the same count').toBe(0);
      expect(pushed && isShown(pushed.status), "the pushed cell shown on release 2's day").toBe(false);
      expectProtected(passivePublic);
      expectProtected(passivePartner);
      expectProtected(insider);
    }, 300_000);
  });
});

let scale: Population;
let scaleAttack: Awaited<ReturnType<typeof attackTiers>>;

describe.skipIf(SCALE_CASES === 0)(
  `statistics attack: the informed outsider on ${SCALE_CASES} more seeded cases`,
  () => {
    beforeAll(async () => {
      const hub = await startTestHub('stat_attack_scale', { env: ENV });
      await seedScale(hub.hub.database.orm, { offers: 0, cases: SCALE_CASES, seed: 1 });
      scale = await populate(`demo + ${SCALE_CASES} seeded cases`, hub);
      scaleAttack = await attackTiers(scale, SCALE_ATTACK_YEARS);
    }, 300_000);
    afterAll(async () => {
      await scale?.hub.stop();
    });

    it('answers every harvested cell the same in every query', () => {
      expectConsistent(scale);
    });

    it('PUBLIC tables alone: no hidden small count narrowed below k, no hidden count recovered', () => {
      expectProtected(scaleAttack.publicScore);
    });

    it('PARTNER tables with the public ones beside them: no hidden small count narrowed below k, none recovered', () => {
      expectProtected(scaleAttack.partnerScore);
    });
  },
);
