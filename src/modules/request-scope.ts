import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessControl } from '../auth/access-control.js';
import type { Viewer } from '../auth/viewer.js';
import type { Loaders, RequestScope } from '../context.js';
import { accountLoaders } from './account/account.loaders.js';
import { capacityLoaders } from './capacity/capacity.loaders.js';
import { caseLoaders } from './case/case.loaders.js';
import { fundingLoaders } from './funding/funding.loaders.js';
import { offerLoaders } from './offer/offer.loaders.js';
import { organisationLoaders } from './organisation/organisation.loaders.js';
import { policyLookups } from './policy-lookups.js';
import { searchLoaders } from './search/search.loaders.js';
import { sharingLoaders } from './sharing/sharing.loaders.js';

/** Every feature's loaders for one request (each owns its own; none sees another's caches). */
export function createLoaders(em: EntityManager, viewer: Viewer): Loaders {
  return {
    ...organisationLoaders(em),
    ...accountLoaders(em),
    ...fundingLoaders(em),
    ...sharingLoaders(em),
    ...offerLoaders(em),
    ...caseLoaders(em),
    ...capacityLoaders(em),
    ...searchLoaders(em, viewer),
  };
}

/** The loaders of one request and the policy applied through them: the same for HTTP, WebSocket and CLI. */
export function requestScope(em: EntityManager, viewer: Viewer): RequestScope {
  const loaders = createLoaders(em, viewer);
  return { loaders, access: new AccessControl(viewer, policyLookups(em, loaders)) };
}
