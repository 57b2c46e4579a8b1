import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';
import { can, connection, fields } from '../../shared/authz/rules';
import { ChronologyResolver } from './chronology.resolver';

export const chronologyModule: HavenModule<Services> = {
  resolvers: [ChronologyResolver],
  instances: (s) => [new ChronologyResolver(s.chronology)],
  rules: {
    Query: { chronology: can('child:read') },
    ChronologyEvent: fields(can('child:read'), ['id', 'occurredAt', 'kind', 'recordId', 'summary', 'recordedBy']),
    ...connection('ChronologyEvent'),
  },
};
