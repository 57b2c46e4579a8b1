import { can, connection, fields, viaParent } from '../../shared/authz/rules';
import { FIGURES, MEASURES } from './performance.figures';

/**
 * `performance` needs performance:read (analysts, team and service managers); everything under it comes through that
 * guarded, team-checked query. Opening a counted child's record needs performance:records (managers) and goes through
 * the scoped, audited child loader.
 */
export const reportingRules = {
  Query: { performance: can('performance:read') },
  Performance: fields(viaParent, ['from', 'to', 'teamId', 'providerId', 'workerCaseloads', ...FIGURES.map((f) => f.name), ...MEASURES.map((m) => m.name)]),
  Figure: fields(viaParent, ['value', 'buckets', 'records']),
  FigureBucket: fields(viaParent, ['key', 'value']),
  Measure: fields(viaParent, ['value', 'buckets']),
  MeasureBucket: fields(viaParent, ['key', 'value']),
  WorkerCaseload: fields(viaParent, ['workerId', 'teamId', 'newlyQualified', 'cases', 'weighted', 'cap', 'overCap']),
  FigureRecord: {
    ...fields(viaParent, ['recordType', 'recordId', 'childId', 'laChildId', 'teamId', 'bucket', 'measure']),
    child: can('performance:records'),
  },
  ...connection('FigureRecord'),
};
