import { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { buildBareSchema, permissionMap } from '../../../app';
import { describeRules } from '../../../shared/authz/merge';
import { SHAREABLE_FIELDS, SUBMISSIONS } from '../agreement';

/** Statutory social care and child protection records: no agreement may open any of their fields to a provider. */
const STATUTORY_TYPES = [
  'Referral', 'Contact', 'Allocation', 'Episode', 'Assessment', 'StrategyDiscussion', 'Participant', 'Section47', 'ChildProtectionConference',
  'Visit', 'VisitStatus', 'Supervision', 'SupervisionEntry', 'SupervisionAction', 'ManagementDecision', 'AuditEntry', 'ChronologyEvent',
];
/** Statutory or child protection fields of types that are otherwise shareable. */
const STATUTORY_FIELDS = [
  ...['referrals', 'contacts', 'currentAllocation', 'allocationHistory', 'episodes', 'assessments', 'strategyDiscussions', 'section47s',
    'conferences', 'plans', 'visits', 'visitStatus', 'supervisionEntries', 'managementDecisions', 'restricted', 'upnUnknownReason']
    .map((f) => `Child.${f}`),
  ...['initialCategory', 'latestCategory', 'previousCpPlans', 'repeatWithin2Years', 'over2Years', 'durationDays'].map((f) => `Plan.${f}`),
  ...['steppedDownFromEpisodeId', 'steppedDownAssessmentId', 'steppedDownFromEpisode', 'steppedDownAssessment', 'steppedUpReferrals']
    .map((f) => `EarlyHelpEpisode.${f}`),
  'EarlyHelpReferral.commissioningNote',
];

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildBareSchema();
});

describe('the data sharing vocabulary', () => {
  it('names only fields that exist in the schema, each once', () => {
    const missing = SHAREABLE_FIELDS.filter((entry) => {
      const [typeName, field] = entry.split('.');
      const type = schema.getType(typeName);
      return !(type instanceof GraphQLObjectType) || !type.getFields()[field];
    });
    expect(missing).toEqual([]);
    expect(new Set(SHAREABLE_FIELDS).size).toBe(SHAREABLE_FIELDS.length);
  });

  it('names no child protection or statutory type or field', () => {
    const statutory = SHAREABLE_FIELDS.filter((entry) => STATUTORY_TYPES.includes(entry.split('.')[0]) || STATUTORY_FIELDS.includes(entry));
    expect(statutory).toEqual([]);
  });

  it('is enforced: every shareable field is guarded by canOrAgreed (so an agreement can open it and nothing else can)', () => {
    const rules = describeRules(permissionMap());
    expect(SHAREABLE_FIELDS.filter((entry) => !rules[entry]?.startsWith('canOrAgreed:'))).toEqual([]);
  });

  it('lists as submissions only mutations, each guarded by canSubmit', () => {
    const mutations = schema.getMutationType()!.getFields();
    expect(SUBMISSIONS.filter((m) => !mutations[m])).toEqual([]);
    const rules = describeRules(permissionMap());
    expect(SUBMISSIONS.filter((m) => !rules[`Mutation.${m}`]?.startsWith('canSubmit:'))).toEqual([]);
    expect(new Set(SUBMISSIONS).size).toBe(SUBMISSIONS.length);
  });
});
