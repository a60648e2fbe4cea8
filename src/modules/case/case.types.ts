import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import {
  AgeBand,
  CaseEventKind,
  Gender,
  GermanLevel,
  PathwayStage,
  ResidenceStatus,
  SchoolLevel,
} from '../../domain/enums.js';

registerEnumType(CaseEventKind, { name: 'CaseEventKind' });

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

@InputType()
export class CaseFilter {
  @Field(() => [PathwayStage], { nullable: true })
  stages?: PathwayStage[];

  @Field(() => [ResidenceStatus], { nullable: true })
  residenceStatuses?: ResidenceStatus[];

  @Field(() => Boolean, { nullable: true, description: 'true: open cases only; false: closed only.' })
  open?: boolean;
}

export const CaseConnection = connectionTypes('Case', CaseType);

@ArgsType()
export class CasesArgs extends ConnectionArgs {
  @Field(() => CaseFilter, { nullable: true })
  filter?: CaseFilter;
}

@ObjectType('CaseEvent', { description: 'One dated step of a case’s history; statistics count these.' })
export class CaseEventType {
  @Field(() => CaseEventKind)
  kind!: CaseEventKind;

  @Field(() => LocalDateResolver)
  occurredOn!: string;

  @Field(() => PathwayStage, { nullable: true })
  fromStage?: PathwayStage;

  @Field(() => PathwayStage, { nullable: true })
  toStage?: PathwayStage;

  @Field(() => ResidenceStatus, { nullable: true })
  fromStatus?: ResidenceStatus;

  @Field(() => ResidenceStatus, { nullable: true })
  toStatus?: ResidenceStatus;
}

@ObjectType('CaseHandover', {
  description: 'A case another organisation hands over to yours, waiting for acceptance.',
})
export class CaseHandoverType {
  @Field(() => ID, { nullable: true, description: 'The case’s id: accept it with acceptCaseHandover.' })
  caseId?: string;

  @Field(() => DateTimeResolver, { nullable: true })
  requestedAt?: Date;
}
