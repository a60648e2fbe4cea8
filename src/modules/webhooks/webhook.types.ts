import { ArrayMaxSize, ArrayMinSize, IsOptional, Length } from 'class-validator';
import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { WebhookDeliveryStatus } from './webhook-delivery.entity.js';
import { WebhookEvent } from './webhook-events.js';

registerEnumType(WebhookEvent, {
  name: 'WebhookEvent',
  description:
    'PLACES_CHANGED: free places of an offer rose or fell; OFFER_CHANGED: an offer was created, changed or archived; STATISTICS_UPDATED: a new statistics release.',
});
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description:
    'PENDING: not yet answered with 2xx, retries left; DELIVERED: answered with 2xx; FAILED: retries used up.',
});

@ObjectType('WebhookDelivery', { description: 'One event sent (or to be sent) to one endpoint.' })
export class WebhookDeliveryType {
  @Field(() => ID, { description: 'The webhook-id header: the same for every attempt of this delivery.' })
  id!: string;

  @Field(() => WebhookEvent)
  event!: WebhookEvent;

  @Field(() => WebhookDeliveryStatus)
  status!: WebhookDeliveryStatus;

  @Field(() => Int)
  attempts!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'HTTP status of the last answer; null: none (no connection, timeout).',
  })
  lastStatusCode?: number;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed, in a few words.' })
  lastError?: string;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'When it is tried next; null unless PENDING.',
  })
  nextAttemptAt?: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  deliveredAt?: Date;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

@ObjectType('WebhookEndpoint', {
  description: 'Where your organisation’s systems are told of events (Standard Webhooks, signed).',
})
export class WebhookEndpointType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  url!: string;

  @Field(() => [WebhookEvent])
  events!: WebhookEvent[];

  @Field(() => Boolean, { description: 'Paused endpoints are not sent anything.' })
  paused!: boolean;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

@ObjectType('CreateWebhookEndpointPayload')
export class CreateWebhookEndpointPayload {
  @Field(() => WebhookEndpointType)
  endpoint!: unknown;

  @Field(() => String, {
    description: 'The signing secret (whsec_…): shown only here, once. Verify deliveries with it.',
  })
  secret!: string;
}

@InputType()
export class CreateWebhookEndpointInput {
  @Field(() => String, { description: 'https URL (http only outside production).' })
  @Length(1, 2048)
  url!: string;

  @Field(() => [WebhookEvent])
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  events!: WebhookEvent[];

  @Field(() => String, {
    nullable: true,
    description: 'whsec_ + base64 of 24 to 64 random bytes; generated (32 bytes) when left out.',
  })
  @IsOptional()
  @Length(1, 200)
  secret?: string;
}

@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 2048)
  url?: string;

  @Field(() => [WebhookEvent], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  events?: WebhookEvent[];

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  paused?: boolean;
}
