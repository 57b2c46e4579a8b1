import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  ArrayMaxSize, ArrayUnique, IsIn, IsOptional, Matches, Min,
} from 'class-validator';
import { Sex } from './child.entity';
import { LA_CHILD_ID } from './child.rules';
import { DISABILITY_CODES, ETHNICITY_CODES, UPN_UNKNOWN_CODES } from '../reference/codes';
import { IsId, IsNhsNumber, IsNotFutureDate, IsUpn, HasText } from '../../shared/graphql/validators';
import { DateTime, LocalDate } from '../../shared/graphql/scalars';
import { Connection } from '../../shared/graphql/pagination';

registerEnumType(Sex, { name: 'Sex', description: 'CIN census N00783: M, F or U (unknown, and always U for an unborn child)' });

@ObjectType('TeamSummary', { simpleResolvers: true })
export class TeamSummaryType {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;
}

@ObjectType('Child', { description: "A child's full record: only for people whose scope includes the child; every view is audited.", simpleResolvers: true })
export class ChildType {
  @Field(() => ID)
  id: string;

  @Field({ description: 'LA child ID (N00097): at most 20 letters and digits, unique.' })
  laChildId: string;

  @Field()
  firstName: string;

  @Field()
  lastName: string;

  @Field(() => LocalDate, { nullable: true })
  dateOfBirth: string | null;

  @Field(() => LocalDate, { nullable: true })
  expectedDateOfBirth: string | null;

  @Field(() => Sex)
  sex: Sex;

  @Field(() => String, { nullable: true, description: 'CIN census ethnicity code (N00177).' })
  ethnicity: string | null;

  @Field(() => [String], { description: 'CIN census disability codes (N00099).' })
  disabilities: string[];

  @Field(() => String, { nullable: true })
  nhsNumber: string | null;

  @Field(() => String, { nullable: true })
  upn: string | null;

  @Field(() => String, { nullable: true, description: 'UN1-UN7 when the UPN is not known.' })
  upnUnknownReason: string | null;

  @Field(() => String, { nullable: true, description: 'FormerUPN (N00002), when the UPN changed.' })
  formerUpn: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'PersonDeathDate (N00108).' })
  dateOfDeath: string | null;

  @Field()
  restricted: boolean;

  @Field(() => Int)
  version: number;

  @Field(() => DateTime)
  createdAt: Date;

  @Field(() => DateTime)
  updatedAt: Date;
}

@ObjectType('ChildSummary', {
  description: 'Identity only, so duplicates are avoided: what search shows for any child the actor may find.',
  simpleResolvers: true,
})
export class ChildSummaryType {
  @Field(() => ID)
  id: string;

  @Field()
  laChildId: string;

  @Field()
  firstName: string;

  @Field()
  lastName: string;

  @Field(() => LocalDate, { nullable: true })
  dateOfBirth: string | null;

  @Field(() => LocalDate, { nullable: true })
  expectedDateOfBirth: string | null;

  @Field(() => String, { nullable: true })
  nhsNumber: string | null;

  @Field(() => String, { nullable: true })
  upn: string | null;

  @Field(() => TeamSummaryType, { nullable: true })
  allocatedTeam: TeamSummaryType | null;

  @Field({ description: "True when the actor may open the child's full record." })
  inScope: boolean;

  @Field({ description: 'Search relevance, 1 for an identifier match.' })
  score: number;
}

export const ChildSummaryConnection = Connection(ChildSummaryType, 'ChildSummary');

@InputType()
export class ChildSearchInput {
  @Field({ nullable: true, description: 'Full or part name; tolerant of spelling mistakes.' })
  @IsOptional()
  @HasText(2, 100)
  name?: string;

  @Field(() => LocalDate, { nullable: true })
  @IsOptional()
  dateOfBirth?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(LA_CHILD_ID, { message: 'laChildId must be at most 20 letters and digits' })
  laChildId?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(/^\d{10}$/, { message: 'nhsNumber must be 10 digits' })
  nhsNumber?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(/^[A-Za-z0-9]{13}$/, { message: 'upn must be 13 letters and digits' })
  upn?: string;
}

@ArgsType()
export class ChildArgs {
  @Field(() => ID)
  @IsId()
  id: string;
}

/** Fields shared by create and update; each is checked against the CIN census rules. */

@InputType()
class ChildFields {
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
  dateOfBirth?: string | null;

  @Field(() => LocalDate, { nullable: true })
  @IsOptional()
  expectedDateOfBirth?: string | null;

  @Field(() => Sex, { nullable: true })
  @IsOptional()
  sex?: Sex;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIn([...ETHNICITY_CODES])
  ethnicity?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayUnique()
  @ArrayMaxSize(13)
  @IsIn([...DISABILITY_CODES], { each: true })
  disabilities?: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsNhsNumber()
  nhsNumber?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUpn()
  upn?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIn([...UPN_UNKNOWN_CODES])
  upnUnknownReason?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUpn()
  formerUpn?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Not in the future, not before the date of birth.' })
  @IsOptional()
  @IsNotFutureDate()
  dateOfDeath?: string | null;
}

@InputType()
export class CreateChildInput extends ChildFields {
  @Field({ nullable: true, description: 'Generated when not given.' })
  @IsOptional()
  @Matches(LA_CHILD_ID, { message: 'laChildId must be at most 20 letters and digits' })
  laChildId?: string;

  @Field()
  @HasText(1, 100)
  declare firstName: string;

  @Field()
  @HasText(1, 100)
  declare lastName: string;

  @Field(() => Sex)
  declare sex: Sex;
}

@InputType()
export class UpdateChildInput extends ChildFields {
  @Field(() => ID)
  @IsId()
  id: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;
}

@ObjectType({ simpleResolvers: true })
export class CreateChildPayload {
  @Field(() => ChildType)
  child: ChildType;

  @Field(() => [ChildSummaryType], {
    description: 'Existing children who may be the same person (same identifier, or similar name and date of birth).',
  })
  possibleDuplicates: ChildSummaryType[];
}

