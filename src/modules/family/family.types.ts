import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, Matches, Min, ValidateNested } from 'class-validator';
import { MemberKind } from './family.entity';
import { FAMILY_RELATIONSHIPS } from '../reference/codes';
import { IsId, IsNotFutureDate, HasText } from '../../shared/graphql/validators';
import { LocalDate } from '../../shared/graphql/scalars';

registerEnumType(MemberKind, { name: 'MemberKind' });

@ObjectType('Family', { description: 'A household and its members.', simpleResolvers: true })
export class FamilyType {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  address: string | null;

  @Field(() => String, { nullable: true })
  postcode: string | null;

  @Field()
  restricted: boolean;

  @Field(() => Int)
  version: number;
}

@ObjectType('FamilyMember', { simpleResolvers: true })
export class FamilyMemberType {
  @Field(() => ID)
  id: string;

  @Field(() => MemberKind)
  kind: MemberKind;

  @Field(() => ID, { nullable: true })
  childId: string | null;

  @Field(() => String, { nullable: true, description: 'Adults only; a child member is read through `child`.' })
  firstName: string | null;

  @Field(() => String, { nullable: true })
  lastName: string | null;

  @Field(() => LocalDate, { nullable: true })
  dateOfBirth: string | null;

  @Field({ description: 'Relationship within the household, e.g. MOTHER, SIBLING.' })
  relationship: string;

  @Field()
  parentalResponsibility: boolean;
}

@InputType()
export class FamilyMemberInput {
  @Field(() => ID, { nullable: true, description: 'A child already recorded; otherwise give an adult by name.' })
  @IsOptional()
  @IsId()
  childId?: string;

  @Field({ nullable: true })
  @IsOptional()
  @HasText(1, 100)
  firstName?: string;

  @Field({ nullable: true })
  @IsOptional()
  @HasText(1, 100)
  lastName?: string;

  @Field(() => LocalDate, { nullable: true })
  @IsOptional()
  @IsNotFutureDate()
  dateOfBirth?: string;

  @Field()
  @IsIn([...FAMILY_RELATIONSHIPS])
  relationship: string;

  @Field({ defaultValue: false })
  parentalResponsibility: boolean;
}

@InputType()
export class CreateFamilyInput {
  @Field()
  @HasText(1, 200)
  name: string;

  @Field({ nullable: true })
  @IsOptional()
  @HasText(1, 500)
  address?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(/^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/, { message: 'postcode must be a UK postcode' })
  postcode?: string;

  @Field(() => [FamilyMemberInput], { description: 'At least one child: a household is recorded around a child.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  members: FamilyMemberInput[];
}

@InputType()
export class AddFamilyMemberInput {
  @Field(() => ID)
  @IsId()
  familyId: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field(() => FamilyMemberInput)
  @ValidateNested()
  member: FamilyMemberInput;
}

@ArgsType()
export class FamilyArgs {
  @Field(() => ID)
  @IsId()
  id: string;
}
