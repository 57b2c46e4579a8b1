import { can, fields } from '../../shared/authz/rules';

export const episodeRules = {
  Mutation: { closeEpisode: can('episode:close') },
  Child: { episodes: can('child:read') },
  Episode: fields(can('child:read'), [
    'id', 'childId', 'startDate', 'referralSource', 'primaryNeedCode', 'closureDate', 'closureReason', 'open', 'version',
  ]),
};
