import { LocalDateResolver } from 'graphql-scalars';
import { ArgsType, Field, ObjectType } from 'type-graphql';
import {
  AgeBand,
  Gender,
  GermanLevel,
  PathwayStage,
  ResidenceStatus,
  SchoolLevel,
} from '../../domain/enums.js';
import { ConnectionArgs, connectionTypes, Node } from '../../graphql/relay.js';

@ObjectType('Case', {
  implements: Node,
  description:
    'A pseudonymous Teilhabemanagement case. Only the managing organisation’s case managers ever see one; it has no field that names a person.',
})
export class CaseType extends Node {
  @Field(() => LocalDateResolver)
  intakeDate!: string;

  @Field(() => AgeBand)
  ageBand!: AgeBand;

  @Field(() => Gender)
  gender!: Gender;

  @Field(() => String, { description: 'ISO 3166-1 alpha-2 of the top countries of the period, else OTHER.' })
  nationalityGroup!: string;

  @Field(() => ResidenceStatus)
  residenceStatus!: ResidenceStatus;

  @Field(() => SchoolLevel)
  schoolLevel!: SchoolLevel;

  @Field(() => GermanLevel)
  germanLevel!: GermanLevel;

  @Field(() => PathwayStage)
  stage!: PathwayStage;

  @Field(() => LocalDateResolver, { nullable: true })
  closedOn?: string;
}

export const CaseConnection = connectionTypes('Case', CaseType);

@ArgsType()
export class CasesArgs extends ConnectionArgs {}
