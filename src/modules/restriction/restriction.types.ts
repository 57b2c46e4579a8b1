import { IsId, HasText } from '../../shared/graphql/validators';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, ArrayUnique, IsOptional, Min } from 'class-validator';
import { DateTime } from '../../shared/graphql/scalars';

export enum RestrictedRecordType {
  CHILD = 'CHILD',
  FAMILY = 'FAMILY',
}
registerEnumType(RestrictedRecordType, { name: 'RestrictedRecordType' });

@InputType()
export class RestrictRecordInput {
  @Field(() => ID, { nullable: true, description: 'The child to restrict (or give familyId).' })
  @IsOptional()
  @IsId()
  childId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsId()
  familyId?: string;

  @Field({ description: 'True to restrict, false to lift the restriction.' })
  restricted: boolean;

  @Field({ description: 'Why (staff relative, adoption, high profile, ...).' })
  @HasText(10, 2000)
  reason: string;

  @Field(() => [ID], { description: 'The people who may see the record while it is restricted.' })
  @ArrayUnique()
  @ArrayMaxSize(50)
  @IsId({ each: true })
  namedAccountIds: string[];

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;
}

@ObjectType('Restriction')
export class RestrictionType {
  @Field(() => RestrictedRecordType)
  recordType: RestrictedRecordType;

  @Field(() => ID)
  recordId: string;

  @Field()
  restricted: boolean;

  @Field(() => [ID])
  namedAccountIds: string[];

  @Field(() => Int)
  version: number;
}

@InputType()
export class BreakGlassInput {
  @Field(() => ID)
  @IsId()
  childId: string;

  @Field({ description: 'Why access is needed now; recorded and flagged for review.' })
  @HasText(20, 2000)
  reason: string;
}

@ObjectType('BreakGlassGrant')
export class BreakGlassGrantType {
  @Field(() => ID)
  childId: string;

  @Field(() => DateTime)
  expiresAt: Date;
}
