/** The supervision module's public surface (supervision sessions and management decisions). */
export { SupervisionService } from './supervision.service';
export { supervisionModule } from './supervision.module';
export { supervisionLoaders } from './supervision.loaders';
export { SupervisionError } from './supervision.errors';
