import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type DocumentNode, execute, type GraphQLSchema, parse } from 'graphql';
import type { Viewer } from '../../auth/viewer.js';
import type { Context, ContextDeps } from '../../context.js';
import { toGlobalId } from '../../graphql/global-id.js';
import type { FreedPlace } from './mail-content.js';

/**
 * What a mail may say about one period, read through the schema as the search's viewer: every field
 * passes the policy, so a mail never holds more than that viewer could read (bands for the public).
 */
const PERIOD_IN_MAIL: DocumentNode = parse(`query SavedSearchMailPeriod($id: ID!) {
  node(id: $id) {
    ... on CapacityPeriod {
      label startsOn endsOn available availability
      offer { id title active organisation { name } }
    }
  }
}`);

interface PeriodInMail {
  label: string | null;
  startsOn: string;
  endsOn: string | null;
  available: number | null;
  availability: FreedPlace['availability'];
  offer: { id: string; title: string; active: boolean; organisation: { name: string } };
}

const formatDay = (day: string) => {
  const [y, m, d] = day.split('-');
  return `${d}.${m}.${y}`;
};

/**
 * The periods of a mail as its viewer may read them; left out: periods gone, offers out of the lists,
 * and places taken again meanwhile (nothing to go for).
 */
export async function freedPlaces(
  schema: GraphQLSchema,
  deps: ContextDeps,
  viewer: Viewer,
  periodIds: string[],
  offerUrl: (offerGlobalId: string) => string,
): Promise<FreedPlace[]> {
  const places: FreedPlace[] = [];
  for (const periodId of periodIds) {
    const period = await readPeriod(schema, deps, viewer, periodId);
    if (!period || !period.offer.active || period.availability === 'NONE') continue;
    places.push({
      title: period.offer.title,
      organisation: period.offer.organisation.name,
      period: [
        period.label,
        `${formatDay(period.startsOn)}${period.endsOn ? ` – ${formatDay(period.endsOn)}` : ''}`,
      ]
        .filter(Boolean)
        .join(', '),
      available: period.available,
      availability: period.availability,
      url: offerUrl(period.offer.id),
    });
  }
  return places;
}

/** One period through the schema and the policy, as `viewer`: exactly what they may read of it. */
async function readPeriod(
  schema: GraphQLSchema,
  deps: ContextDeps,
  viewer: Viewer,
  periodId: string,
): Promise<PeriodInMail | null> {
  const em = deps.orm.em.fork() as EntityManager;
  const context: Context = {
    requestId: randomUUID(),
    em,
    ...deps.scope(em, viewer),
    viewer,
    clientAddress: 'saved-search-mailer',
    deps,
  };
  const result = await execute({
    schema,
    document: PERIOD_IN_MAIL,
    contextValue: context,
    variableValues: { id: toGlobalId('CapacityPeriod', periodId) },
  });
  if (result.errors?.length) {
    // An unknown period (deleted meanwhile) is NOT_FOUND: nothing to mail about it.
    if (result.errors.every((e) => e.extensions?.code === 'NOT_FOUND')) return null;
    throw result.errors[0];
  }
  return ((result.data as { node: PeriodInMail | null } | null)?.node ?? null) as PeriodInMail | null;
}
