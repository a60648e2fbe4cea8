import type { EntityManager } from '@mikro-orm/postgresql';
import { byId } from '../../graphql/loader-kit.js';
import { Account } from './account.entity.js';

export function accountLoaders(em: EntityManager) {
  return {
    account: byId(em, Account),
  };
}

type AccountLoaders = ReturnType<typeof accountLoaders>;
declare module '../../context.js' {
  interface Loaders extends AccountLoaders {}
}
