import { Field, ID, ObjectType } from 'type-graphql';
import { TeamType } from '../front-door/front-door.types';

@ObjectType('Me', { description: 'The actor: account, roles, team or provider.' })
export class MeType {
  @Field(() => ID)
  id: string;

  @Field()
  email: string;

  @Field()
  displayName: string;

  @Field(() => [String])
  roles: string[];

  @Field(() => [String], { description: 'What the roles allow (area:action).' })
  permissions: string[];

  @Field(() => ID, { nullable: true })
  teamId: string | null;

  @Field(() => ID, { nullable: true })
  providerId: string | null;

  @Field()
  newlyQualified: boolean;

  @Field(() => TeamType, { nullable: true })
  team?: TeamType | null;
}
