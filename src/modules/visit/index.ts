/** The visit module's public surface. */
export { VisitService } from './visit.service';
export { visitModule } from './visit.module';
export { visitLoaders } from './visit.loaders';
export { VisitRecordType, VisitStatusType } from './visit.types';
