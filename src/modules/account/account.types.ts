import { DateTimeResolver } from 'graphql-scalars';
import { ArgsType, Field, ObjectType } from 'type-graphql';
import { Role } from '../../domain/enums.js';
import { OrganisationType } from '../organisation/organisation.types.js';

@ObjectType('Account', { description: 'A person who signs in for a partner organisation.' })
export class AccountType {
  @Field(() => String, { nullable: true })
  id?: string;

  @Field(() => String, { nullable: true })
  email?: string;

  @Field(() => String, { nullable: true })
  displayName?: string;

  @Field(() => [Role], { nullable: true })
  roles?: Role[];
}

@ObjectType('Me', { description: 'The signed-in viewer.' })
export class MeType {
  @Field(() => AccountType)
  account!: unknown;

  @Field(() => OrganisationType)
  organisation!: unknown;

  @Field(() => [Role], {
    description: 'The roles in force for this request (token roles the account still holds).',
  })
  roles!: Role[];

  @Field(() => [String], {
    description:
      'What you may do to your own organisation’s data, as the policy’s action names (`offer.create`, `place.confirm`, …; docs/permissions.md). Pages show a form only where its action is listed; the API decides again on every call.',
  })
  actions!: string[];
}

@ObjectType('LoginResult')
export class LoginResult {
  @Field(() => String, { description: 'Send as `Authorization: Bearer <token>`.' })
  token!: string;

  @Field(() => DateTimeResolver)
  expiresAt!: Date;
}

@ArgsType()
export class LoginArgs {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;
}
