import type { EntityManager } from '@mikro-orm/postgresql';
import { byId, manyBy } from '../../graphql/loader-kit.js';
import { Case } from './case.entity.js';
import { CaseEvent } from './case-event.entity.js';

export function caseLoaders(em: EntityManager) {
  return {
    case: byId(em, Case),
    eventsByCase: manyBy(em, CaseEvent, 'case', (e) => e.case.id, { occurredOn: 'asc', seq: 'asc' }),
  };
}

type CaseLoaders = ReturnType<typeof caseLoaders>;
declare module '../../context.js' {
  interface Loaders extends CaseLoaders {}
}
