import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import type { ReadRow } from '../../db/read-rows.js';
import type { Case } from '../case/case.entity.js';
import { CaseType } from '../case/case.types.js';
import { ReservationType, WaitingListEntryType } from './capacity.types.js';

/**
 * A case's places: what it holds and where it waits. Here, not in the case module, because places come
 * after cases (the case itself knows nothing of them); the rows reach only whom Reservation's and
 * WaitingListEntry's own rules let read them.
 */
@Resolver(() => CaseType)
export class CasePlacesResolver {
  @FieldResolver(() => [ReservationType], {
    description:
      'Places held or taken for this case, newest first, with released and expired ones as history.',
  })
  reservations(@Root() c: ReadRow<Case>, @Ctx() ctx: Context) {
    return ctx.loaders.reservationsByCase.load(c.id);
  }

  @FieldResolver(() => [WaitingListEntryType], {
    description: 'Waiting lists this case is or was on, newest first.',
  })
  waitingListEntries(@Root() c: ReadRow<Case>, @Ctx() ctx: Context) {
    return ctx.loaders.waitingListEntriesByCase.load(c.id);
  }
}
