import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';
import { FigureRecordResolver, FigureResolver, MeasureResolver, PerformanceResolver } from './reporting.resolver';
import { reportingRules } from './reporting.permissions';

export const reportingModule: HavenModule<Services> = {
  resolvers: [PerformanceResolver, FigureResolver, MeasureResolver, FigureRecordResolver],
  instances: (s) => [new PerformanceResolver(s.reporting), new FigureResolver(s.reporting), new MeasureResolver(), new FigureRecordResolver()],
  rules: reportingRules,
};
