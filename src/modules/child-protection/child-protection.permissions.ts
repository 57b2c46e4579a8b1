import { can, fields } from '../../shared/authz/rules';

const read = can('child:read');

export const childProtectionRules = {
  Mutation: {
    recordStrategyDiscussion: can('section47:record'),
    startSection47: can('section47:record'),
    concludeSection47: can('section47:record'),
    recordChildProtectionConference: can('conference:record'),
  },
  Child: { strategyDiscussions: read, section47s: read, conferences: read },
  Participant: fields(read, ['agency', 'name', 'role', 'attended']),
  StrategyDiscussion: fields(read, ['id', 'childId', 'episodeId', 'heldOn', 'participants', 'decision', 'rationale', 'version']),
  Section47: fields(read, [
    'id', 'childId', 'episodeId', 'strategyDiscussionId', 'startDate', 'icpcTargetDate', 'status', 'conferenceNotRequired',
    'notRequiredReason', 'icpcDate', 'concludedOn', 'version', 'dueStatus',
  ]),
  ChildProtectionConference: fields(read, [
    'id', 'childId', 'episodeId', 'kind', 'section47Id', 'planId', 'heldOn', 'chairId', 'attendees', 'decision', 'category',
    'rationale', 'dueBy', 'version', 'onTime', 'chair',
  ]),
};
