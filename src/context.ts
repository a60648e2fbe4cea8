import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { createLoaders, type Loaders } from './graphql/loaders.js';

/** What every resolver gets; built by one factory for HTTP and WebSocket alike. */
export interface Context {
  requestId: string;
  /** A fork per request: its own identity map and unit of work. */
  em: EntityManager;
  loaders: Loaders;
}

export function createContext(orm: MikroORM): Context {
  const em = orm.em.fork();
  return { requestId: randomUUID(), em, loaders: createLoaders(em) };
}
