import { IsId } from '../../shared/graphql/validators';
import { ArgsType, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { AuditResult } from './audit.entity';
import { DateTime } from '../../shared/graphql/scalars';
import { Connection } from '../../shared/graphql/pagination';

registerEnumType(AuditResult, { name: 'AuditResult' });

@ObjectType('AuditEntry', { description: 'Who viewed or changed a record, when, and what (field names, never values).' })
export class AuditEntryType {
  @Field(() => ID)
  id: string;

  @Field(() => DateTime)
  at: Date;

  @Field(() => ID, { nullable: true })
  actorId: string | null;

  @Field(() => [String])
  actorRoles: string[];

  @Field()
  action: string;

  @Field()
  entity: string;

  @Field(() => ID, { nullable: true })
  entityId: string | null;

  @Field(() => [String])
  fields: string[];

  @Field(() => AuditResult)
  result: AuditResult;

  @Field()
  breakGlass: boolean;

  @Field(() => String, { nullable: true })
  reason: string | null;
}

export const AuditEntryConnection = Connection(AuditEntryType, 'AuditEntry');

@ArgsType()
export class ChildAccessLogArgs {
  @Field(() => ID)
  @IsId()
  childId: string;
}
