import type { Viewer } from './viewer.js';

/**
 * The viewer's visibility class: viewers of one class are allowed exactly the same data. The policy
 * (AccessControl, offer search) decides from the viewer's kind, organisation and roles — never from the
 * account itself, its token or its address — so the class is made of exactly those. Live subscriptions
 * resolve each event once per class and operation and send that one result to every subscriber of the
 * class. test/visibility.test.ts fails when the policy starts to read anything else of the viewer.
 */
export function visibilityClass(viewer: Viewer): string {
  if (viewer.kind === 'public') return 'public';
  return `account:${viewer.organisationId}:${[...viewer.roles].sort().join(',')}`;
}

/** What visibilityClass reads of an account viewer: the policy may read these and no more. */
export const VISIBILITY_FIELDS: readonly string[] = ['kind', 'organisationId', 'roles'];
