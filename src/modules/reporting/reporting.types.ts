import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IsOptional, MaxLength } from 'class-validator';
import { IsId } from '../../shared/graphql/validators';
import { LocalDate } from '../../shared/graphql/scalars';
import { Connection } from '../../shared/graphql/pagination';
import type { ChildType } from '../child/child.types';
import type { FigureName, MeasureDef, PerformanceFilter } from './performance.figures';

@InputType()
export class PerformanceInput {
  @Field(() => LocalDate, { description: 'First day of the period (England).' })
  from: string;

  @Field(() => LocalDate, { description: 'Last day of the period; snapshots ("open at") are taken at its end. At most 5 years after `from`.' })
  to: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Only this team: the team whose allocation held the child at the end of `to` (snapshots) or of the day the event '
      + 'happened (figures of the period); workers: their own team. A team manager gets their own team (the default) and no other.',
  })
  @IsOptional()
  @IsId()
  teamId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only this provider (early help figures; the statutory figures ignore it).' })
  @IsOptional()
  @IsId()
  providerId?: string | null;
}

@ArgsType()
export class FigureRecordsArgs {
  @Field(() => String, { nullable: true, description: 'Only the records in this bucket.' })
  @IsOptional()
  @MaxLength(100)
  bucket?: string | null;
}

@ObjectType('FigureBucket', { simpleResolvers: true })
export class FigureBucketType {
  @Field()
  key: string;

  @Field(() => Int)
  value: number;
}

@ObjectType('MeasureBucket', { simpleResolvers: true })
export class MeasureBucketType {
  @Field()
  key: string;

  @Field(() => Float, { nullable: true })
  value: number | null;
}

@ObjectType('FigureRecord', { description: 'One record a figure counts: identifiers only; managers may open the child.', simpleResolvers: true })
export class FigureRecordType {
  @Field({ description: 'REFERRAL, ASSESSMENT, CONFERENCE, PLAN, EPISODE, ALLOCATION, ACCOUNT (a worker), EARLY_HELP_EPISODE, EARLY_HELP_ASSESSMENT.' })
  recordType: string;

  @Field(() => ID)
  recordId: string;

  @Field(() => ID, { nullable: true, description: 'Null for a worker, and (for analysts) for a restricted child.' })
  childId: string | null;

  @Field(() => String, { nullable: true })
  laChildId: string | null;

  @Field(() => ID, { nullable: true })
  teamId: string | null;

  @Field()
  bucket: string;

  @Field(() => Float, {
    nullable: true,
    description: 'The number behind the bucket: working days taken, days open or waiting, the case weight, days late.',
  })
  measure: number | null;

  /** Resolved through the audited, scoped child loader (managers only). */
  child?: ChildType | null;
}

export const FigureRecordConnection = Connection(FigureRecordType, 'FigureRecord');

/** The per-request summary of every figure, computed once (one statement) when a value is first asked for. */
export interface PerformanceSummary {
  figures: Map<FigureName, { value: number; buckets: FigureBucketType[] }>;
  measures: Map<MeasureDef['name'], { value: number | null; buckets: MeasureBucketType[] }>;
  workers: WorkerCaseloadType[];
}

/** The checked filter of one `performance` request and its summary (memoised). */
export interface PerformanceView {
  filter: PerformanceFilter;
  summary(): Promise<PerformanceSummary>;
}

@ObjectType('Figure', { description: 'A count: its value, its buckets (which add up to it) and the records it counts.', simpleResolvers: true })
export class FigureType {
  name: FigureName;
  view: PerformanceView;
}

@ObjectType('Measure', { description: 'A number summarising the records of a figure, overall and by that figure\'s buckets.', simpleResolvers: true })
export class MeasureType {
  name: MeasureDef['name'];
  view: PerformanceView;
}

@ObjectType('WorkerCaseload', { simpleResolvers: true })
export class WorkerCaseloadType {
  @Field(() => ID)
  workerId: string;

  @Field(() => ID, { nullable: true })
  teamId: string | null;

  @Field()
  newlyQualified: boolean;

  @Field(() => Int, { description: 'Children allocated to the worker at `to` (the worker\'s bucket of `caseload`).' })
  cases: number;

  @Field(() => Float, { description: 'The weighted count (caseload settings: child protection, child in need, assessment, other).' })
  weighted: number;

  @Field(() => Int, { description: 'The protected cap for a newly qualified worker, the standard cap otherwise.' })
  cap: number;

  @Field({ description: 'The weighted count is over the cap.' })
  overCap: boolean;
}

const figure = (description: string) => Field(() => FigureType, { description });
const measure = (description: string) => Field(() => MeasureType, { description });

@ObjectType('Performance', {
  description: 'Aggregates for reporting tools, each computed in SQL from the records it can list (see each figure).',
  simpleResolvers: true,
})
export class PerformanceType {
  /** The request's checked filter and its memoised summary. */
  view: PerformanceView;

  @Field(() => LocalDate)
  from: string;

  @Field(() => LocalDate)
  to: string;

  @Field(() => ID, { nullable: true })
  teamId: string | null;

  @Field(() => ID, { nullable: true })
  providerId: string | null;

  @figure('Children open to social care at `to`, by stage: AWAITING_DECISION (a referral undecided), ASSESSMENT, CHILD_IN_NEED, '
    + 'CHILD_PROTECTION (plans), OTHER_OPEN (an open episode of need). One record per child: the record that sets the stage.')
  openCasesByStage: FigureType;

  @figure('The same children by the team holding them at `to` (UNALLOCATED when none).')
  openCasesByTeam: FigureType;

  @figure('Allocations to workers held at `to`, by worker (bucket = worker id); measure = the case weight.')
  caseload: FigureType;

  @measure('The weighted caseload (sum of the case weights of `caseload`), by worker.')
  weightedCaseload: MeasureType;

  @figure('Workers whose weighted caseload at `to` is over their cap: PROTECTED_CAP (newly qualified) or STANDARD_CAP.')
  workersOverCap: FigureType;

  workerCaseloads?: WorkerCaseloadType[];

  @figure('Referral decisions made in the period: ON_TIME when made by the working day after the referral date, else LATE; '
    + 'measure = working days taken.')
  referralDecisions: FigureType;

  @figure('Assessments authorised in the period: ON_TIME when authorised by their due date (the 45th working day after the referral '
    + 'that prompted them), else LATE; measure = working days from that referral.')
  assessmentsCompleted: FigureType;

  @figure('The same assessments by the DfE duration bands (working days from start to authorisation; same day = 0).')
  assessmentDurations: FigureType;

  @figure('Initial conferences held in the period: ON_TIME when held by the 15th working day after the strategy discussion, else LATE.')
  initialConferences: FigureType;

  @figure('Review conferences held in the period: ON_TIME when held by their due date, else LATE (NO_DUE_DATE when none).')
  reviewConferences: FigureType;

  @figure('Child protection plans open at `to`, by latest category of abuse.')
  childProtectionPlansByCategory: FigureType;

  @figure('The same plans by how long they have lasted at `to`: UP_TO_2_YEARS or OVER_2_YEARS.')
  childProtectionPlanDurations: FigureType;

  @figure('Child protection plans started in the period: FIRST, or a repeat (REPEAT_WITHIN_2_YEARS of the previous plan ending, '
    + 'REPEAT_AFTER_2_YEARS).')
  childProtectionPlansStarted: FigureType;

  @figure('Children on a plan at `to` (their most protective plan): OVERDUE when not seen within the plan type\'s visit frequency.')
  visits: FigureType;

  @figure('Social workers at `to`: OVERDUE when their supervision is past its due date.')
  supervision: FigureType;

  @figure('Families waiting for early help at `to`, by the provider offered the referral (NOT_COMMISSIONED when none); '
    + 'measure = days waiting.')
  earlyHelpWaiting: FigureType;

  @measure('Median days waiting of `earlyHelpWaiting`, by provider.')
  earlyHelpWaitingMedianDays: MeasureType;

  @measure('Longest wait (days) of `earlyHelpWaiting`, by provider.')
  earlyHelpWaitingLongestDays: MeasureType;

  @figure('Early help assessments started in the period: REASON_RECORDED or NO_REASON.')
  earlyHelpAssessments: FigureType;

  @figure('Early help episodes closed in the period, by outcome.')
  earlyHelpOutcomes: FigureType;

  @figure('Step-ups: referrals from early help (source 5D) made from an early help episode in the period, by decision.')
  stepUps: FigureType;

  @figure('Step-downs: episodes of need closed in the period with RC9 and an early help episode stepped down from them, '
    + 'by that early help episode\'s status.')
  stepDowns: FigureType;
}
