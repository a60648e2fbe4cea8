import { DateTimeResolver } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { WebhookConfig } from '../../config.js';
import type { Context } from '../../context.js';
import {
  createEndpoint,
  deleteEndpoint,
  listEndpoints,
  recentDeliveries,
  updateEndpoint,
} from './webhook.service.js';
import {
  CreateWebhookEndpointInput,
  CreateWebhookEndpointPayload,
  UpdateWebhookEndpointInput,
  WebhookDeliveryType,
  WebhookEndpointType,
} from './webhook.types.js';
import type { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookDeliveryStatus } from './webhook-delivery.entity.js';
import type { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookEvent, webhookEventOf } from './webhook-events.js';
import { fromEndpointId, toEndpointId, webhookIdOf } from './webhook-ids.js';

declare module '../../context.js' {
  interface ContextDeps {
    /** Webhook target rules (SSRF, https in production). */
    webhooks: WebhookConfig;
  }
}

const refOfEndpoint = (id: string) => ({ id: fromEndpointId(id), sent: id });

/** Organisations' webhook endpoints (their editors): register, change, pause, delete, see deliveries. */
@Resolver(() => WebhookEndpointType)
export class WebhookEndpointResolver {
  @Query(() => [WebhookEndpointType], {
    description: 'Your organisation’s webhook endpoints (PARTNER_EDITOR).',
  })
  webhookEndpoints(@Ctx() ctx: Context) {
    return listEndpoints(ctx.em, ctx.access);
  }

  @Mutation(() => CreateWebhookEndpointPayload, {
    description: 'Register an endpoint of your organisation; the signing secret is returned once, here.',
  })
  createWebhookEndpoint(
    @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
    @Ctx() ctx: Context,
  ) {
    return createEndpoint(ctx.em, ctx.access, ctx.deps.webhooks, input);
  }

  @Mutation(() => WebhookEndpointType, {
    description: 'Change an endpoint’s URL or events, pause or resume it.',
  })
  updateWebhookEndpoint(
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: Context,
  ) {
    const { id, ...changes } = input;
    return updateEndpoint(ctx.em, ctx.access, ctx.deps.webhooks, { ...changes, endpoint: refOfEndpoint(id) });
  }

  @Mutation(() => ID, { description: 'Delete an endpoint and its delivery history; answers its id.' })
  async deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    await deleteEndpoint(ctx.em, ctx.access, { endpoint: refOfEndpoint(id) });
    return id;
  }

  @FieldResolver(() => ID)
  id(@Root() endpoint: WebhookEndpoint) {
    return toEndpointId(endpoint.id);
  }

  @FieldResolver(() => [WebhookDeliveryType], { description: 'The newest deliveries first.' })
  deliveries(
    @Root() endpoint: WebhookEndpoint,
    @Arg('first', () => Int, { defaultValue: 20, description: '1 to 100.' }) first: number,
    @Ctx() ctx: Context,
  ) {
    return recentDeliveries(ctx.em, endpoint, first);
  }
}

@Resolver(() => WebhookDeliveryType)
export class WebhookDeliveryResolver {
  @FieldResolver(() => ID)
  id(@Root() delivery: WebhookDelivery) {
    return webhookIdOf(delivery.id);
  }

  @FieldResolver(() => WebhookEvent)
  event(@Root() delivery: WebhookDelivery) {
    return webhookEventOf(delivery.eventType);
  }

  @FieldResolver(() => DateTimeResolver, { nullable: true })
  nextAttemptAt(@Root() delivery: WebhookDelivery) {
    return delivery.status === WebhookDeliveryStatus.PENDING ? delivery.nextAttemptAt : null;
  }
}
