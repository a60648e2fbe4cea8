import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context.js';
import { CaseStatisticsArgs, StatisticsTableType } from './statistics.types.js';

@Resolver()
export class StatisticsResolver {
  @Query(() => StatisticsTableType, {
    description:
      'Anonymised case figures for Bündnis meetings: a table with margins, protected against disclosure (small cells and whatever would let one recompute them are suppressed). What you may ask depends on your audience (see docs/permissions.md).',
  })
  caseStatistics(@Args(() => CaseStatisticsArgs) args: CaseStatisticsArgs, @Ctx() ctx: Context) {
    return ctx.deps.statistics.table(ctx.em, ctx.access.statisticsAudience(), args);
  }
}
