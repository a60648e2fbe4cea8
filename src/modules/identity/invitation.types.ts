import { DateTimeResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';

@ObjectType('SignInInvitation', {
  description:
    'A one-time link that links whoever signs in at the city’s identity provider through it to one hub account.',
})
export class SignInInvitationType {
  @Field(() => String, { description: 'Hand this to the person (only shown once; the hub keeps a hash).' })
  url!: string;

  @Field(() => DateTimeResolver)
  expiresAt!: Date;

  @Field(() => String, { description: 'The invited account’s e-mail address.' })
  email!: string;
}
