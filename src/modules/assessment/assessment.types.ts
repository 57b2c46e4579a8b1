import { IsId, HasText } from '../../shared/graphql/validators';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsIn, IsOptional, Min, registerDecorator, ValidationOptions } from 'class-validator';
import { LocalDate } from '../../shared/graphql/scalars';
import { AssessmentOutcome, AssessmentStatus } from './assessment.entity';
import { ASSESSMENT_FACTOR_CODES, MIN_ANALYSIS_TEXT, MIN_LATE_REASON, noFactorsNotAlone } from './assessment.rules';

registerEnumType(AssessmentStatus, { name: 'AssessmentStatus' });
registerEnumType(AssessmentOutcome, { name: 'AssessmentOutcome', description: 'What the assessment concluded the child needs next' });


function FactorsStandAlone(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'factorsStandAlone',
      target: target.constructor,
      propertyName,
      options: { message: '21 (no factors identified) cannot be combined with other factors', ...options },
      validator: { validate: (v: unknown) => !Array.isArray(v) || !noFactorsNotAlone(v as string[]) },
    });
}

@ObjectType('Assessment', { description: 'Child and family assessment: due 45 working days after the referral date; authorised by a manager.' })
export class AssessmentType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  childId: string;

  @Field(() => ID)
  episodeId: string;

  @Field(() => AssessmentStatus)
  status: AssessmentStatus;

  @Field(() => LocalDate, { description: 'AssessmentActualStartDate (N00159).' })
  startDate: string;

  @Field(() => LocalDate, { description: '45 working days after the referral date (the episode start).' })
  dueDate: string;

  @Field(() => LocalDate, { nullable: true })
  completedDate: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'AssessmentAuthorisationDate (N00160).' })
  authorisedDate: string | null;

  @Field(() => [String], { description: 'AssessmentFactors (N00181).' })
  factors: string[];

  @Field(() => String, { nullable: true })
  risks: string | null;

  @Field(() => String, { nullable: true })
  strengths: string | null;

  @Field(() => String, { nullable: true })
  protectiveFactors: string | null;

  @Field(() => String, { nullable: true })
  childsViews: string | null;

  @Field(() => String, { nullable: true })
  analysis: string | null;

  @Field(() => AssessmentOutcome, { nullable: true })
  outcome: AssessmentOutcome | null;

  @Field(() => String, { nullable: true, description: 'Why it was completed after the due date.' })
  lateReason: string | null;

  @Field(() => Int)
  version: number;
}

@ArgsType()
export class AssessmentArgs {
  @Field(() => ID)
  @IsId()
  id: string;
}

@InputType()
export class StartAssessmentInput {
  @Field(() => ID)
  @IsId()
  childId: string;

  @Field(() => LocalDate, { description: 'Not before the referral date, not in the future.' })
  startDate: string;
}

@InputType()
export class CompleteAssessmentInput {
  @Field(() => ID)
  @IsId()
  id: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field(() => LocalDate, { description: 'Not before the start, not in the future.' })
  completedDate: string;

  @Field(() => [String], { description: 'CIN census factor codes (N00181): at least one, no duplicates; 21 (none) stands alone.' })
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(ASSESSMENT_FACTOR_CODES.length)
  @IsIn([...ASSESSMENT_FACTOR_CODES], { each: true })
  @FactorsStandAlone()
  factors: string[];

  @Field()
  @HasText(MIN_ANALYSIS_TEXT)
  risks: string;

  @Field()
  @HasText(MIN_ANALYSIS_TEXT)
  strengths: string;

  @Field()
  @HasText(MIN_ANALYSIS_TEXT)
  protectiveFactors: string;

  @Field()
  @HasText(MIN_ANALYSIS_TEXT)
  childsViews: string;

  @Field()
  @HasText(MIN_ANALYSIS_TEXT)
  analysis: string;

  @Field(() => AssessmentOutcome)
  outcome: AssessmentOutcome;

  @Field(() => String, { nullable: true, description: 'Required when completed after the due date; refused when on time.' })
  @IsOptional()
  @HasText(MIN_LATE_REASON, 5000)
  lateReason?: string | null;
}

@InputType()
export class AuthoriseAssessmentInput {
  @Field(() => ID)
  @IsId()
  id: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;
}
