import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { Actor } from '../../auth/actor.js';
import type { AccountViewer } from '../../auth/viewer.js';
import { today } from '../../domain/calendar.js';
import type { Ref } from '../../domain/ref.js';
import { notFound } from '../../errors.js';
import { CapacityPeriod } from '../capacity/capacity-period.entity.js';
import { createPeriodRecord, setPeriodEnd } from '../capacity/capacity-period.writer.js';
import { type PlacesSetting, setPlaces } from '../capacity/places.service.js';
import { createLocationRecord } from '../location/location.writer.js';
import { EligibilityRule } from '../offer/eligibility-rule.entity.js';
import { addRuleVersion, blockingVersion } from '../offer/eligibility-rule.writer.js';
import { Offer } from '../offer/offer.entity.js';
import { createOfferRecord, updateOfferRecord } from '../offer/offer.writer.js';
import { Location } from '../organisation/location.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { collect, type Group, headerOf, type OfferRow, Problems, type RowProblem } from './import-rows.js';
import { openTable, type Table, UnreadableFile } from './read-table.js';

/**
 * Offers, locations and places from a partner's file: read → check every row → compare with what the
 * organisation has → report (dry run) or write it all in one transaction (apply). Rows are matched by
 * the partner's "Externe ID" (offer.external_key), periods by their start date, locations by name, so
 * importing the same file again changes nothing and a changed row updates its offer with an audit entry.
 */
export type Action = 'create' | 'update' | 'unchanged';

/**
 * One value an update changes, as the dry run shows it: `field` for programs (an offer field,
 * `location`, `eligibility` or `period`), `column` as the file names it, values as the hub stores them.
 */
export interface Change {
  field: string;
  column: string;
  before: unknown;
  after: unknown;
}

export interface ImportReport {
  format: Table['format'];
  encoding: string | null;
  delimiter: string | null;
  headerRow: number | null;
  dataRows: number;
  emptyRows: number;
  offers: Record<Action, number>;
  periods: Record<Action, number>;
  locationsCreated: number;
  /** Per offer (first row of its key): what happens to it and, for an update, what changes; the first 2,000. */
  actions: {
    row: number;
    externalKey: string;
    title: string;
    action: Action;
    periods: Record<Action, number>;
    changes: Change[];
  }[];
  problems: RowProblem[];
  problemCount: number;
  /** Problems that keep apply from writing anything (all of them, unless `skipInvalid`). */
  blockingProblems: number;
  /** The good rows are written alone: offers with problems (their Externe IDs in `skipped`) are left out. */
  skipInvalid: boolean;
  skipped: string[];
  /** SHA-256 of the file: apply with it to be sure the reviewed file is the one written. */
  digest: string;
  /**
   * SHA-256 of what would be written, with the values it replaces: apply with it (`plan`) to be sure
   * nothing changed in the hub since the dry run.
   */
  planDigest: string;
  applied: boolean;
}

const MAX_ACTIONS = 2_000;
const BATCH = 500;

const OFFER_FIELDS = [
  'title',
  'kind',
  'description',
  'languages',
  'requiredGermanLevel',
  'schedule',
] as const;

const COLUMN_OF_FIELD: Record<(typeof OFFER_FIELDS)[number], string> = {
  title: headerOf('title'),
  kind: headerOf('kind'),
  description: headerOf('description'),
  languages: headerOf('languages'),
  requiredGermanLevel: headerOf('germanLevel'),
  schedule: headerOf('schedule'),
};

function offerValues(row: OfferRow) {
  return {
    title: row.title,
    kind: row.kind,
    description: row.description,
    ...(row.languages ? { languages: row.languages } : {}),
    ...(row.germanLevel ? { requiredGermanLevel: row.germanLevel } : {}),
    ...(row.schedule !== undefined ? { schedule: row.schedule } : {}),
  };
}

/** What an update of `offer` from `row` changes (nothing: the offer stays as it is). */
function offerChanges(
  offer: Offer,
  row: OfferRow,
  locationId: string | undefined,
  locationNames: Map<string, string>,
): Change[] {
  const wanted = offerValues(row) as Record<string, unknown>;
  const changes: Change[] = OFFER_FIELDS.filter(
    (f) => f in wanted && JSON.stringify(offer[f] ?? null) !== JSON.stringify(wanted[f] ?? null),
  ).map((f) => ({
    field: f,
    column: COLUMN_OF_FIELD[f],
    before: offer[f] ?? null,
    after: wanted[f] ?? null,
  }));
  if (offer.location.id !== locationId)
    changes.push({
      field: 'location',
      column: headerOf('location'),
      before: locationNames.get(offer.location.id) ?? null,
      after: row.location,
    });
  return changes;
}

/**
 * Compares the groups with the database and, when `apply`, writes them (inside the caller's
 * transaction, `em`). Returns counts and per-offer actions; problems found against the data (archived
 * offer, places below what the hub has reserved, a new location without address) go to `problems`.
 */
async function reconcile(
  em: EntityManager,
  viewer: AccountViewer,
  organisationId: string,
  groups: Map<string, Group>,
  problems: Problems,
  apply: boolean,
) {
  const counts = {
    offers: { create: 0, update: 0, unchanged: 0 },
    periods: { create: 0, update: 0, unchanged: 0 },
    locationsCreated: 0,
  };
  const actions: ImportReport['actions'] = [];
  // The plan, with the values it replaces: the same in the dry run and under the apply's locks
  // unless someone changed the organisation's data in between.
  const plan = createHash('sha256');
  const allLocations = await em.find(
    Location,
    { organisation: organisationId },
    { fields: ['id', 'name', 'active'] },
  );
  const locationNames = new Map(allLocations.map((l) => [l.id, l.name]));
  const locations = new Map(
    allLocations.filter((l) => l.active).map((l) => [l.name.trim().toLowerCase(), l.id]),
  );
  // What the import adds to the audit entries of the writers it shares with the API.
  const source = { source: 'import' };
  const all = [...groups.values()];
  for (let i = 0; i < all.length; i += BATCH) {
    const batch = all.slice(i, i + BATCH);
    const offers = new Map(
      (
        await em.find(
          Offer,
          { organisation: organisationId, externalKey: { $in: batch.map((g) => g.offer.externalKey) } },
          apply ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
        )
      ).map((o) => [o.externalKey!, o]),
    );
    const periods = await em.find(
      CapacityPeriod,
      { offer: { $in: [...offers.values()].map((o) => o.id) } },
      apply ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
    );
    const rules = await em.find(
      EligibilityRule,
      { offer: { $in: [...offers.values()].map((o) => o.id) } },
      { orderBy: { version: 'desc' } },
    );
    /** The places of the batch's new and changed periods, set in one statement once they are written. */
    const places: PlacesSetting[] = [];
    const day = today();
    for (const group of batch) {
      const { offer: row } = group;
      const key = row.location.trim().toLowerCase();
      let locationId = locations.get(key);
      if (!locationId) {
        const a = row.address;
        if (!a?.street || !a.postalCode || !a.city || !a.district) {
          problems.add(
            row.row,
            headerOf('location'),
            `Standort „${row.location}“ gibt es noch nicht: für einen neuen Standort bitte Straße, PLZ, Ort und Stadtteil angeben.`,
            row.externalKey,
          );
          continue;
        }
        counts.locationsCreated++;
        plan.update(JSON.stringify(['location', key]));
        if (apply) {
          const location = createLocationRecord(
            em,
            viewer,
            organisationId,
            {
              name: row.location,
              street: a.street,
              postalCode: a.postalCode,
              city: a.city,
              district: a.district,
            },
            source,
          );
          locationId = location.id;
        } else locationId = `new:${key}`;
        locations.set(key, locationId);
      }

      let offer = offers.get(row.externalKey);
      let action: Action;
      if (offer && !offer.active) {
        problems.add(
          row.row,
          headerOf('externalKey'),
          'Dieses Angebot ist archiviert und wird nicht mehr geändert.',
          row.externalKey,
        );
        continue;
      }
      const details = { ...source, externalKey: row.externalKey };
      const changes = offer ? offerChanges(offer, row, locationId, locationNames) : [];
      if (!offer) {
        action = 'create';
        if (apply)
          offer = createOfferRecord(
            em,
            viewer,
            organisationId,
            {
              ...offerValues(row),
              location: em.getReference(Location, locationId),
              externalKey: row.externalKey,
            },
            details,
          );
      } else if (changes.length > 0) {
        action = 'update';
        if (apply)
          updateOfferRecord(
            em,
            viewer,
            offer,
            { ...offerValues(row), location: em.getReference(Location, locationId) },
            details,
          );
      } else action = 'unchanged';

      // The target group as the offer's eligibility rule: a new version from today when it changes.
      if (row.eligibility) {
        const own = offer ? rules.filter((x) => x.offer.id === offer!.id) : [];
        const current = own.find((x) => x.validFrom <= day && (!x.validTo || x.validTo >= day));
        const wanted = row.eligibility;
        const same =
          current &&
          current.minAge === wanted.minAge &&
          current.maxAge === wanted.maxAge &&
          JSON.stringify([...current.residenceStatuses].sort()) === JSON.stringify(wanted.residenceStatuses);
        if (!same) {
          const blocking = blockingVersion(own, day);
          if (blocking) {
            problems.add(
              row.row,
              headerOf('audience'),
              `Die Zugangsregel gilt schon ab ${blocking.validFrom} neu; eine weitere Änderung ist erst danach möglich.`,
              row.externalKey,
            );
            continue;
          }
          if (action !== 'create')
            changes.push({
              field: 'eligibility',
              column: headerOf('audience'),
              before: current
                ? {
                    residenceStatuses: [...current.residenceStatuses].sort(),
                    minAge: current.minAge,
                    maxAge: current.maxAge,
                  }
                : null,
              after: wanted,
            });
          if (action === 'unchanged') action = 'update';
          if (apply) addRuleVersion(em, viewer, offer!, own, { ...wanted, validFrom: day }, details);
        }
      }
      counts.offers[action]++;

      const periodActions = { create: 0, update: 0, unchanged: 0 };
      for (const p of group.periods) {
        const existing = offer
          ? periods.find((x) => x.offer.id === offer!.id && x.startsOn === p.startsOn)
          : undefined;
        if (existing && existing.occupied !== p.occupied && p.occupied + existing.reserved > p.total) {
          problems.add(
            p.row,
            headerOf('occupied'),
            `${p.occupied} belegt + ${existing.reserved} im Hub reserviert sind mehr als ${p.total} Plätze gesamt.`,
            row.externalKey,
          );
          continue;
        }
        if (existing && p.total < existing.occupied + existing.reserved && existing.occupied === p.occupied) {
          problems.add(
            p.row,
            headerOf('total'),
            `${p.total} Plätze gesamt sind weniger als ${existing.occupied} belegt + ${existing.reserved} reserviert.`,
            row.externalKey,
          );
          continue;
        }
        const placesDiffer = !existing || existing.total !== p.total || existing.occupied !== p.occupied;
        const periodAction: Action = !existing
          ? 'create'
          : existing.endsOn !== p.endsOn || placesDiffer
            ? 'update'
            : 'unchanged';
        periodActions[periodAction]++;
        counts.periods[periodAction]++;
        // A new offer's periods are all new; an existing one's show what they had.
        if (action !== 'create' && periodAction !== 'unchanged')
          changes.push({
            field: 'period',
            column: `Zeitraum ab ${p.startsOn.split('-').reverse().join('.')}`,
            before: existing
              ? { endsOn: existing.endsOn, total: existing.total, occupied: existing.occupied }
              : null,
            after: { endsOn: p.endsOn, total: p.total, occupied: p.occupied },
          });
        plan.update(JSON.stringify(['period', p.startsOn, periodAction, existing?.reserved ?? 0]));
        if (!apply || periodAction === 'unchanged') continue;
        // A new period opens without places and gets the file's from the places service, like any other:
        // subscribers hear of them as a rise from none.
        const period =
          existing ??
          createPeriodRecord(
            em,
            viewer,
            offer!,
            { startsOn: p.startsOn, endsOn: p.endsOn, total: 0 },
            source,
          );
        if (existing && existing.endsOn !== p.endsOn)
          setPeriodEnd(em, viewer, existing, organisationId, p.endsOn, source);
        if (placesDiffer) places.push({ periodId: period.id, total: p.total, occupied: p.occupied });
      }
      plan.update(JSON.stringify(['offer', row.externalKey, action, changes]));
      if (actions.length < MAX_ACTIONS)
        actions.push({
          row: row.row,
          externalKey: row.externalKey,
          title: row.title,
          action,
          periods: periodActions,
          changes,
        });
    }
    if (apply) {
      // New periods exist before their places are set.
      await em.flush();
      await setPlaces(em, viewer, places, 'imported', source);
      await em.flush();
    }
    // Batches leave the identity map: memory stays with the rows of the file, not with the database.
    em.clear();
  }
  return { ...counts, actions, planDigest: plan.digest('hex') };
}

/**
 * The account an import of `organisation` writes as: the actor, once the policy lets them import for it
 * (FORBIDDEN) and it exists (NOT_FOUND). The HTTP route asks before it reads a byte of the file.
 */
export async function importingAccount(
  em: EntityManager,
  actor: Actor,
  organisation: Ref,
): Promise<AccountViewer> {
  const viewer = actor.assert('offer.import', { organisation: organisation.id });
  if (!(await em.findOne(Organisation, { id: organisation.id })))
    throw notFound('Organisation', organisation.sent);
  return viewer;
}

export interface ImportOffers {
  organisation: Ref;
  file: Readable;
  /** Write, but only a file without problems (and, given `expectedDigest`, only the reviewed one). */
  apply: boolean;
  expectedDigest?: string;
  /** The dry run's `planDigest`: apply only if the hub's data still gives the plan that was shown. */
  expectedPlan?: string;
  /** Write the offers without problems and leave out those with (the default: any problem, nothing). */
  skipInvalid?: boolean;
  /** Helps tell the format of the file. */
  filename?: string;
}

const DATA_CHANGED =
  'Die Angebote im Hub haben sich seit der Probe geändert (inzwischen bearbeitet, z. B. in der Verwaltung oder durch einen anderen Import): Was jetzt geschrieben würde, ist nicht mehr das, was die Probe gezeigt hat. Bitte die Datei erneut prüfen.';

/** The one entry of HTTP and CLI: reports (dry run) or writes a partner's file of offers. */
export async function importOffers(
  em: EntityManager,
  actor: Actor,
  input: ImportOffers,
): Promise<ImportReport> {
  const viewer = await importingAccount(em, actor, input.organisation);
  const organisationId = input.organisation.id;
  const skipInvalid = !!input.skipInvalid;
  const problems = new Problems();
  let table: Table;
  try {
    table = await openTable(input.file, input.filename);
  } catch (error) {
    if (error instanceof UnreadableFile) return unreadable(error.message, skipInvalid);
    throw error;
  }
  let collected: Awaited<ReturnType<typeof collect>>;
  try {
    collected = await collect(table, problems);
  } catch (error) {
    if (error instanceof UnreadableFile)
      return { ...unreadable(error.message, skipInvalid), format: table.format };
    throw error;
  }
  const digest = table.digest();
  const blocking = () => (skipInvalid ? problems.fileLevel : problems.count);
  const report = (result: Awaited<ReturnType<typeof reconcile>>, applied: boolean): ImportReport => ({
    format: table.format,
    encoding: table.encoding ?? null,
    delimiter: table.delimiter ?? null,
    headerRow: collected.headerRow,
    dataRows: collected.dataRows,
    emptyRows: collected.emptyRows,
    offers: result.offers,
    periods: result.periods,
    locationsCreated: result.locationsCreated,
    actions: result.actions,
    problems: [...problems.list].sort((a, b) => a.row - b.row),
    problemCount: problems.count,
    blockingProblems: blocking(),
    skipInvalid,
    skipped: skipInvalid ? [...problems.keys].slice(0, MAX_ACTIONS) : [],
    digest,
    planDigest: result.planDigest,
    applied,
  });

  let groups = collected.groups;
  let dryRun = await reconcile(em.fork(), viewer, organisationId, groups, problems, false);
  if (skipInvalid) {
    // Leaving an offer out can fail another (a new location whose address was in the left-out rows):
    // plan again until no further offer has a problem.
    let left = -1;
    while (problems.keys.size > 0 && problems.keys.size !== left) {
      left = problems.keys.size;
      groups = new Map([...collected.groups].filter(([key]) => !problems.keys.has(key)));
      dryRun = await reconcile(em.fork(), viewer, organisationId, groups, problems, false);
    }
  }
  const digestMismatch = input.expectedDigest && input.expectedDigest !== digest;
  const planMismatch = !digestMismatch && input.expectedPlan && input.expectedPlan !== dryRun.planDigest;
  if (!input.apply || blocking() > 0 || digestMismatch || planMismatch) {
    if (input.apply && digestMismatch)
      problems.add(
        0,
        'Datei',
        'Die Datei ist nicht die der Probe (anderer Inhalt): bitte erst erneut prüfen.',
      );
    else if (input.apply && planMismatch) problems.add(0, 'Daten', DATA_CHANGED);
    return report(dryRun, false);
  }
  const nothingToWrite =
    dryRun.offers.create + dryRun.offers.update + dryRun.periods.create + dryRun.periods.update === 0 &&
    dryRun.locationsCreated === 0;
  if (nothingToWrite) return report(dryRun, true);
  // All or nothing: one transaction, re-planned under row locks (someone may have edited meanwhile).
  const planned = dryRun.planDigest;
  const late = new Problems();
  const applied = await em
    .fork()
    .transactional(async (tx) => {
      await tx
        .getConnection()
        .execute('select pg_advisory_xact_lock(hashtext(?))', [`import:${organisationId}`]);
      const result = await reconcile(tx, viewer, organisationId, groups, late, true);
      if (late.count > 0 || result.planDigest !== planned) throw new ImportConflict();
      return result;
    })
    .catch((error) => {
      if (error instanceof ImportConflict) return null;
      throw error;
    });
  if (applied) return report(applied, true);
  for (const p of late.list) problems.add(p.row, p.column, p.message);
  if (late.count === 0) problems.add(0, 'Daten', DATA_CHANGED);
  return report(dryRun, false);
}

class ImportConflict extends Error {}

function unreadable(message: string, skipInvalid: boolean): ImportReport {
  return {
    format: 'csv',
    encoding: null,
    delimiter: null,
    headerRow: null,
    dataRows: 0,
    emptyRows: 0,
    offers: { create: 0, update: 0, unchanged: 0 },
    periods: { create: 0, update: 0, unchanged: 0 },
    locationsCreated: 0,
    actions: [],
    problems: [{ row: 0, column: 'Datei', message }],
    problemCount: 1,
    blockingProblems: 1,
    skipInvalid,
    skipped: [],
    digest: '',
    planDigest: '',
    applied: false,
  };
}
