import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { type DocumentNode, type GraphQLSchema, getOperationAST, getVariableValues } from 'graphql';
import type { Context } from '../../context.js';
import type { Logger } from '../../logger.js';
import { requestInfoOf } from '../../observability/request-log.js';
import type { BuildState } from './compile.js';
import { compileDocument, type DocumentPlan, planEnv } from './document-plan.js';
import { NotPlannable } from './selection.js';

/**
 * Read plans: a query the plans cover (today: `offers` and `organisations` with their offers,
 * organisations, locations and capacity periods, README "Read plans") is answered by one statement per root field that reads exactly the selected
 * columns, JSON built by PostgreSQL, instead of by the executor's walk over every field of every row.
 * The policy still decides every field: the answers that depend only on the viewer's roles are taken
 * once per document and viewer class, the per-owner ones per row, the same way (AccessControl), and
 * redactions are reported as on every other path. Whatever a plan does not cover — another root field,
 * a field without a source, a directive, invalid arguments, any error — goes to the executor unchanged,
 * which then gives its own answer or error (during a database outage a planned query so waits for the
 * database twice before its SERVICE_UNAVAILABLE). `READ_PLANS=false` sends everything to the executor.
 */
export function readPlanPlugin(logger: Logger): ApolloServerPlugin<Context> {
  const plans = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, DocumentPlan | null>>>();
  const planFor = (
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | undefined,
    ctx: Context,
  ) => {
    let bySchema = plans.get(schema);
    if (!bySchema) {
      bySchema = new WeakMap();
      plans.set(schema, bySchema);
    }
    let byDocument = bySchema.get(document);
    if (!byDocument) {
      byDocument = new Map();
      bySchema.set(document, byDocument);
    }
    const key = `${operationName ?? ''}\u0000${ctx.access.answerClass}`;
    let plan = byDocument.get(key);
    if (plan === undefined) {
      try {
        plan = compileDocument(schema, document, operationName, ctx);
      } catch (error) {
        // A planner that fails is a bug of the planner, never the client's: the executor answers.
        if (!(error instanceof NotPlannable)) logger.error({ err: error }, 'read plan failed to compile');
        plan = null;
      }
      byDocument.set(key, plan);
    }
    return plan;
  };

  return {
    async requestDidStart() {
      return {
        async responseForOperation({ schema, document, operationName, request, contextValue: ctx }) {
          const plan = planFor(schema, document, operationName ?? undefined, ctx);
          if (!plan) return null;
          const operation = getOperationAST(document, operationName)!;
          const coerced = getVariableValues(
            schema,
            operation.variableDefinitions ?? [],
            request.variables ?? {},
          );
          if (coerced.errors) return null;
          try {
            if (plan.needsGrants) await ctx.access.readGrants();
            const state: BuildState = { access: ctx.access, redactions: new Map(), nested: new Map() };
            const env = planEnv();
            const values = await Promise.all(plan.roots.map((r) => r.run(ctx, coerced.coerced, state, env)));
            const data: Record<string, unknown> = {};
            plan.roots.forEach((r, i) => {
              data[r.key] = values[i];
            });
            // Only an answer that is complete reports its redactions (the executor would report its own).
            for (const r of state.redactions.values()) {
              ctx.access.recordRedaction(r.typeName, r.fieldName, r.rule, r.count);
            }
            const info = requestInfoOf(ctx);
            if (info) info.readPlan = true;
            return {
              http: { status: undefined, headers: new HeaderMap() },
              body: { kind: 'single', singleResult: { data } },
            };
          } catch (error) {
            if (!(error instanceof NotPlannable))
              logger.debug({ err: error }, 'read plan left to the executor');
            return null;
          }
        },
      };
    },
  };
}
