import type { AnyRule } from './authz/rules';

/**
 * What a feature module contributes to the app: its resolver classes, how to build them from the services, and its
 * permission rules. app.ts lists the modules; a module adds resolvers without touching app.ts.
 */
export interface HavenModule<S> {
  resolvers: Function[];
  instances(services: S): object[];
  rules: Record<string, Record<string, AnyRule>>;
}
