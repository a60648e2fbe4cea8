import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../context.js';
import { notFound } from '../errors.js';
import { fromGlobalId, type NodeTypeName } from './global-id.js';
import { IdArgs, Node } from './relay.js';

/** The request loader of each Node type: node(id) and federation's entity references load through these. */
export const loaderOf = {
  Organisation: 'organisation',
  Location: 'location',
  Offer: 'offer',
  CapacityPeriod: 'capacityPeriod',
  Reservation: 'reservation',
  WaitingListEntry: 'waitingListEntry',
  Case: 'case',
  SharingGrant: 'sharingGrant',
} as const satisfies Record<NodeTypeName, keyof Context['loaders']>;

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; NOT_FOUND when unknown.' })
  async node(@Args(() => IdArgs) { id }: IdArgs, @Ctx() ctx: Context) {
    const { type, id: key } = fromGlobalId(id);
    const found = await ctx.loaders[loaderOf[type]].load(key);
    if (!found) throw notFound(type, id);
    return found;
  }
}
