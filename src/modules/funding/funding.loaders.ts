import type { EntityManager } from '@mikro-orm/postgresql';
import { byId } from '../../graphql/loader-kit.js';
import { FundingProgramme } from './funding-programme.entity.js';

export function fundingLoaders(em: EntityManager) {
  return { fundingProgramme: byId(em, FundingProgramme) };
}

type FundingLoaders = ReturnType<typeof fundingLoaders>;
declare module '../../context.js' {
  interface Loaders extends FundingLoaders {}
}
