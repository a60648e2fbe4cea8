import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context.js';
import { fromGlobalIdOf, refOf } from '../../graphql/global-id.js';
import { EligibilityRuleType, OfferType } from './offer.types.js';
import { CreateOfferInput, SetEligibilityRuleInput, UpdateOfferInput } from './offer-edit.inputs.js';
import { archiveOffer, createOffer, setEligibilityRule, updateOffer } from './offer-edit.service.js';

/** A location named by the client; null and undefined stay as they are (required, or unchanged). */
function locationIdOf<T extends string | null | undefined>(globalId: T): T {
  return (globalId == null ? globalId : fromGlobalIdOf('Location', globalId, 'locationId')) as T;
}

/** Providers keep their offers current (PARTNER_EDITOR of the owner; ADMIN). */
@Resolver()
export class OfferEditResolver {
  @Mutation(() => OfferType, { description: 'A new offer of your organisation (admins: of any).' })
  createOffer(@Arg('input', () => CreateOfferInput) input: CreateOfferInput, @Ctx() ctx: Context) {
    const { organisationId, ...offer } = input;
    return createOffer(ctx.em, ctx.access, {
      ...offer,
      organisation: organisationId ? refOf('Organisation', organisationId, 'organisationId') : undefined,
      locationId: locationIdOf(offer.locationId),
    });
  }

  @Mutation(() => OfferType, { description: 'Change an offer; `version` must be the one you edited.' })
  updateOffer(@Arg('input', () => UpdateOfferInput) input: UpdateOfferInput, @Ctx() ctx: Context) {
    const { id, ...changes } = input;
    return updateOffer(ctx.em, ctx.access, {
      ...changes,
      offer: refOf('Offer', id),
      locationId: locationIdOf(changes.locationId),
    });
  }

  @Mutation(() => OfferType, { description: 'Take an offer out of lists; its history stays.' })
  archiveOffer(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Ctx() ctx: Context,
  ) {
    return archiveOffer(ctx.em, ctx.access, { offer: refOf('Offer', id), version });
  }

  @Mutation(() => EligibilityRuleType, {
    description:
      'A new version of the eligibility rule from validFrom; the previous version ends the day before.',
  })
  setEligibilityRule(
    @Arg('input', () => SetEligibilityRuleInput) input: SetEligibilityRuleInput,
    @Ctx() ctx: Context,
  ) {
    const { offerId, ...rule } = input;
    return setEligibilityRule(ctx.em, ctx.access, { ...rule, offer: refOf('Offer', offerId, 'offerId') });
  }
}
