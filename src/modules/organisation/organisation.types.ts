import { ArrayMaxSize, IsOptional, Length, ValidateNested } from 'class-validator';
import { ArgsType, Directive, Field, InputType, ObjectType } from 'type-graphql';
import { OrganisationKind } from '../../domain/enums.js';
import { ENTITY_KEY } from '../../graphql/federation-directives.js';
import { ConnectionArgs, connectionTypes, Node } from '../../graphql/relay.js';

@Directive(ENTITY_KEY)
@ObjectType('Organisation', { implements: Node, description: 'A partner organisation of the alliance.' })
export class OrganisationType extends Node {
  @Field(() => String)
  name!: string;

  @Field(() => OrganisationKind)
  kind!: OrganisationKind;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => String, { nullable: true })
  website?: string;

  @Field(() => Boolean, {
    description: 'True for the Kommunales Integrationszentrum that coordinates the alliance.',
  })
  isCoordinator!: boolean;
}

@Directive(ENTITY_KEY)
@ObjectType('Location', { implements: Node, description: 'A place where an organisation offers something.' })
export class LocationType extends Node {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  street!: string;

  @Field(() => String)
  postalCode!: string;

  @Field(() => String)
  city!: string;

  @Field(() => String, { description: 'Stadtteil.' })
  district!: string;

  @Field(() => Boolean)
  wheelchairAccessible!: boolean;

  @Field(() => String, { nullable: true })
  accessibilityNote?: string;

  @Field(() => Boolean, { description: 'False once archived.' })
  active!: boolean;
}

export const OrganisationConnection = connectionTypes('Organisation', OrganisationType);

@InputType()
export class OrganisationFilter {
  @Field(() => [OrganisationKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  kinds?: OrganisationKind[];

  @Field(() => [String], {
    nullable: true,
    description: 'Organisations with a location in one of these Stadtteile.',
  })
  @IsOptional()
  @ArrayMaxSize(50)
  @Length(1, 100, { each: true })
  districts?: string[];
}

@ArgsType()
export class OrganisationsArgs extends ConnectionArgs {
  @Field(() => OrganisationFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: OrganisationFilter;
}

@ObjectType('ContactPerson', { description: 'A staff contact of a partner (visible to signed-in partners).' })
export class ContactPersonType {
  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => String, { nullable: true })
  function?: string;

  @Field(() => String, { nullable: true })
  email?: string;

  @Field(() => String, { nullable: true })
  phone?: string;
}
