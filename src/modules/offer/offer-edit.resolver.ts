import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context.js';
import { EligibilityRuleType, OfferType } from './offer.types.js';
import { CreateOfferInput, SetEligibilityRuleInput, UpdateOfferInput } from './offer-edit.inputs.js';
import { archiveOffer, createOffer, setEligibilityRule, updateOffer } from './offer-edit.service.js';

/** Providers keep their offers current (PARTNER_EDITOR of the owner; ADMIN). */
@Resolver()
export class OfferEditResolver {
  @Mutation(() => OfferType, { description: 'A new offer of your organisation (admins: of any).' })
  createOffer(@Arg('input', () => CreateOfferInput) input: CreateOfferInput, @Ctx() ctx: Context) {
    return createOffer(ctx, input);
  }

  @Mutation(() => OfferType, { description: 'Change an offer; `version` must be the one you edited.' })
  updateOffer(@Arg('input', () => UpdateOfferInput) input: UpdateOfferInput, @Ctx() ctx: Context) {
    return updateOffer(ctx, input);
  }

  @Mutation(() => OfferType, { description: 'Take an offer out of lists; its history stays.' })
  archiveOffer(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Ctx() ctx: Context,
  ) {
    return archiveOffer(ctx, id, version);
  }

  @Mutation(() => EligibilityRuleType, {
    description:
      'A new version of the eligibility rule from validFrom; the previous version ends the day before.',
  })
  setEligibilityRule(
    @Arg('input', () => SetEligibilityRuleInput) input: SetEligibilityRuleInput,
    @Ctx() ctx: Context,
  ) {
    return setEligibilityRule(ctx, input);
  }
}
