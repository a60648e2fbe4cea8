import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import type { SavedSearch } from './saved-search.entity.js';
import {
  deleteSavedSearch,
  listSavedSearches,
  saveSearch,
  updateSavedSearch,
} from './saved-search.service.js';
import { SavedSearchType, SaveSearchInput, UpdateSavedSearchInput } from './saved-search.types.js';

@Resolver(() => SavedSearchType)
export class SavedSearchResolver {
  @Query(() => [SavedSearchType], { description: 'Your own saved searches, oldest first.' })
  savedSearches(@Ctx() ctx: Context) {
    return listSavedSearches(ctx.em, ctx.access);
  }

  @Mutation(() => SavedSearchType, {
    description:
      'Save an offers filter to be told when places of a matching offer become free. Signed in: mailed to your account. Without an account: give `email`; nothing is sent until the link in the confirmation mail is used.',
  })
  saveSearch(@Arg('input', () => SaveSearchInput) input: SaveSearchInput, @Ctx() ctx: Context) {
    return saveSearch(
      ctx.em,
      ctx.access,
      { ...input, clientAddress: ctx.clientAddress },
      ctx.deps.savedSearches,
    );
  }

  @Mutation(() => SavedSearchType, { description: 'Change, pause or resume one of your saved searches.' })
  updateSavedSearch(
    @Arg('input', () => UpdateSavedSearchInput) input: UpdateSavedSearchInput,
    @Ctx() ctx: Context,
  ) {
    return updateSavedSearch(ctx.em, ctx.access, input);
  }

  @Mutation(() => ID, { description: 'Delete one of your saved searches; answers its id.' })
  deleteSavedSearch(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return deleteSavedSearch(ctx.em, ctx.access, id);
  }

  @FieldResolver(() => Boolean)
  confirmed(@Root() search: SavedSearch) {
    return search.confirmedAt != null;
  }
}
