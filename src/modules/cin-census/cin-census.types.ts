import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Max, Min } from 'class-validator';
import { LocalDate } from '../../shared/graphql/scalars';
import { IssueSeverity } from './census.model';

registerEnumType(IssueSeverity, {
  name: 'CensusIssueSeverity',
  description: 'ERROR: the DfE rejects the return until fixed; QUERY: amend it or explain it to the DfE.',
});

/** The earliest collection year Haven returns (ReferralSource is required for referrals from 1 April 2013: rule 8866). */
export const FIRST_CENSUS_YEAR = 2014;
export const LAST_CENSUS_YEAR = 2100;

@ArgsType()
export class CinCensusArgs {
  @Field(() => Int, { description: 'The collection year ending 31 March `year`.' })
  @Min(FIRST_CENSUS_YEAR)
  @Max(LAST_CENSUS_YEAR)
  year: number;
}

@ObjectType('CensusIssue', {
  simpleResolvers: true,
  description: 'A DfE CIN census validation issue: the rule, error or query, the child, the element at fault and the record holding it.',
})
export class CensusIssueType {
  @Field({ description: 'The DfE rule code, e.g. 8925 or 8670Q.' })
  rule: string;

  @Field(() => IssueSeverity)
  severity: IssueSeverity;

  @Field(() => ID, { nullable: true, description: 'The child at fault (null for a return-wide rule).' })
  childId: string | null;

  @Field(() => String, { nullable: true })
  laChildId: string | null;

  @Field({ description: 'The census element at fault, e.g. CPPstartDate.' })
  field: string;

  @Field(() => ID, { nullable: true, description: 'The Haven record holding the element (episode, referral, assessment, plan, ...).' })
  recordId: string | null;

  @Field()
  message: string;
}

@ObjectType('CinCensus', { simpleResolvers: true, description: 'The CIN census return for a collection year, and the issues the DfE rules find in it.' })
export class CinCensusType {
  @Field(() => Int)
  year: number;

  @Field(() => LocalDate, { description: '31 March `year`.' })
  referenceDate: string;

  @Field(() => Int, { description: 'Children in the return.' })
  children: number;

  @Field({ description: 'The whole XML document (download it from `downloadPath` for a large council: streamed).' })
  xml: string;

  @Field(() => [CensusIssueType])
  issues: CensusIssueType[];

  @Field(() => Int)
  errorCount: number;

  @Field(() => Int)
  queryCount: number;

  @Field({ description: 'GET with the same bearer token: the XML, streamed (each download audited).' })
  downloadPath: string;
}
