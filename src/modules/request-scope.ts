import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessControl } from '../auth/access-control.js';
import type { Viewer } from '../auth/viewer.js';
import type { RequestScope } from '../context.js';
import { createLoaders } from '../graphql/loaders.js';
import { policyLookups } from './policy-lookups.js';

/** The loaders of one request and the policy applied through them: the same for HTTP, WebSocket and CLI. */
export function requestScope(em: EntityManager, viewer: Viewer): RequestScope {
  const loaders = createLoaders(em, viewer);
  return { loaders, access: new AccessControl(viewer, policyLookups(em, loaders)) };
}
