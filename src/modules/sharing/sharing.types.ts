import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { FieldGroup, SharingAudience } from '../../domain/enums.js';
import { Node } from '../../graphql/relay.js';
import { OrganisationType } from '../organisation/organisation.types.js';

registerEnumType(FieldGroup, {
  name: 'FieldGroup',
  description:
    'A group of an organisation’s restricted fields that it may share: PLACES_DETAIL (occupied, reserved, waiting list), INTERNAL_NOTES, FUNDING (programme, cost per place). Cases and reservations are never shareable.',
});
registerEnumType(SharingAudience, {
  name: 'SharingAudience',
  description: 'One named partner, or the whole alliance.',
});

@ObjectType('SharingGrant', {
  implements: Node,
  description:
    'Your organisation shares a field group beyond the default policy (visible to your organisation only).',
})
export class SharingGrantType extends Node {
  @Field(() => FieldGroup)
  fieldGroup!: FieldGroup;

  @Field(() => SharingAudience)
  audience!: SharingAudience;

  @Field(() => OrganisationType, {
    nullable: true,
    description: 'The partner, when the audience is ORGANISATION.',
  })
  audienceOrganisation?: unknown;

  @Field(() => LocalDateResolver)
  validFrom!: string;

  @Field(() => LocalDateResolver, {
    nullable: true,
    description: 'Last day of validity; null: until revoked.',
  })
  validTo?: string;

  @Field(() => DateTimeResolver, { nullable: true })
  revokedAt?: Date;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

@InputType()
export class GrantSharingInput {
  @Field(() => FieldGroup)
  fieldGroup!: FieldGroup;

  @Field(() => SharingAudience)
  audience!: SharingAudience;

  @Field(() => ID, {
    nullable: true,
    description: 'The partner organisation (global id) when audience is ORGANISATION.',
  })
  organisationId?: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'First day; default today.' })
  validFrom?: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Last day; default: until revoked.' })
  validTo?: string;
}
