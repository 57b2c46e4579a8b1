import 'reflect-metadata';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { deny, shield } from 'graphql-shield';
import { buildSchema } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Ctx } from './context';
import { createLoaders } from './loaders';
import { AuditWriter } from './modules/audit/audit.writer';
import { AuditResult } from './modules/audit/audit.entity';
import { AuditLogService } from './modules/audit/audit-log.service';
import { AuditResolver } from './modules/audit/audit.resolver';
import { auditRules } from './modules/audit/audit.permissions';
import { CalendarService, Clock, systemClock } from './modules/calendar/calendar.service';
import { CalendarResolver } from './modules/calendar/calendar.resolver';
import { calendarRules } from './modules/calendar/calendar.permissions';
import { ChildService } from './modules/child/child.service';
import { ChildResolver } from './modules/child/child.resolver';
import { childRules } from './modules/child/child.permissions';
import { FamilyService } from './modules/family/family.service';
import { FamilyMemberResolver, FamilyResolver } from './modules/family/family.resolver';
import { familyRules } from './modules/family/family.permissions';
import { FrontDoorService } from './modules/front-door/front-door.service';
import { AllocationResolver, ReferralResolver } from './modules/front-door/front-door.resolver';
import { frontDoorRules } from './modules/front-door/front-door.permissions';
import { IdentityResolver } from './modules/identity/identity.resolver';
import { identityRules } from './modules/identity/identity.permissions';
import { AccountDirectory } from './modules/identity/account.directory';
import { createTokenVerifier, Principal, TokenVerifier } from './modules/identity/auth';
import { RestrictionService } from './modules/restriction/restriction.service';
import { RestrictionResolver } from './modules/restriction/restriction.resolver';
import { restrictionRules } from './modules/restriction/restriction.permissions';
import { mergeRules } from './shared/authz/merge';
import type { HavenModule } from './shared/module';
import { EpisodeService } from './modules/episode/episode.service';
import { AssessmentService } from './modules/assessment/assessment.service';
import { PlanService } from './modules/plan/plan.service';
import { ChildProtectionService } from './modules/child-protection/child-protection.service';
import { VisitService } from './modules/visit/visit.service';
import { SupervisionService } from './modules/supervision/supervision.service';
import { episodeModule } from './modules/episode/episode.module';
import { caseloadModule } from './modules/caseload/caseload.module';
import { chronologyModule } from './modules/chronology/chronology.module';
import { ChronologyService } from './modules/chronology/chronology.service';
import { CaseloadService } from './modules/caseload/caseload.service';
import { assessmentModule } from './modules/assessment/assessment.module';
import { childProtectionModule } from './modules/child-protection/child-protection.module';
import { planModule } from './modules/plan/plan.module';
import { visitModule } from './modules/visit/visit.module';
import { supervisionModule } from './modules/supervision/supervision.module';
import { earlyHelpModules } from './modules/early-help/early-help.module';
import { reportingModule } from './modules/reporting/reporting.module';
import { ReportingService } from './modules/reporting/reporting.service';
import { ReportingDb } from './modules/reporting/reporting-db';
import { CinCensusService } from './modules/cin-census/cin-census.service';
import { AnnexAService } from './modules/annex-a/annex-a.service';
import { cinCensusModule } from './modules/cin-census/cin-census.module';
import { annexAModule } from './modules/annex-a/annex-a.module';
import { EarlyHelpEpisodes } from './modules/early-help/early-help.service';
import { createEarlyHelpServices } from './modules/early-help/early-help.services';
import { DomainError, ErrorCode, serviceUnavailable } from './shared/errors';
import { isDatabaseUnavailable } from './shared/db/unavailable';
import { formatError, serviceUnavailableStatus } from './shared/graphql/errors';
import { refuseNulBytes } from './shared/graphql/nul-bytes';
import { queryLimitRules, queryParseOptions } from './shared/graphql/limits';
import { safeError } from './shared/logger';

/** Statutory casework and early help modules (each lists its own resolvers and rules). */
const modules: HavenModule<Services>[] = [
  caseloadModule, chronologyModule, episodeModule, assessmentModule, childProtectionModule, planModule, visitModule, supervisionModule,
  ...earlyHelpModules, reportingModule, cinCensusModule, annexAModule,
];

export const resolvers = [
  IdentityResolver, ChildResolver, FamilyResolver, FamilyMemberResolver, ReferralResolver, AllocationResolver,
  RestrictionResolver, AuditResolver, CalendarResolver, ...modules.flatMap((m) => m.resolvers),
];

export const permissionMap = () =>
  mergeRules(
    identityRules, childRules, familyRules, frontDoorRules, restrictionRules, auditRules, calendarRules, ...modules.map((m) => m.rules),
  );

/** `reports`: where the reporting reads run (the read replica when configured; by default `db`). */
export function createServices(db: DataSource, config: Config, clock: Clock = systemClock, reports = new ReportingDb(db)) {
  const audit = new AuditWriter();
  const calendar = new CalendarService(db, audit, clock);
  const frontDoor = new FrontDoorService(db, audit, calendar);
  const child = new ChildService(db, audit, frontDoor);
  frontDoor.useChildService(child);
  const episodes = new EpisodeService(db, audit, calendar, child);
  frontDoor.useEpisodes(episodes);
  const plans = new PlanService(db, audit, calendar, child, episodes);
  const earlyHelp = new EarlyHelpEpisodes(db, audit);
  return {
    earlyHelp,
    ...createEarlyHelpServices({ db, audit, calendar, child, frontDoor, episodes, plans, earlyHelp }),
    audit,
    calendar,
    child,
    frontDoor,
    family: new FamilyService(db, audit, child),
    episode: episodes,
    assessment: new AssessmentService(db, audit, calendar, child, episodes),
    plan: plans,
    childProtection: new ChildProtectionService(db, audit, calendar, child, episodes, plans),
    visit: new VisitService(db, audit, calendar, child),
    supervision: new SupervisionService(db, audit, calendar, child),
    restriction: new RestrictionService(db, audit, child, config.breakGlassMinutes),
    auditLog: new AuditLogService(db, audit),
    caseload: new CaseloadService(db, audit),
    chronology: new ChronologyService(db, audit),
    accounts: new AccountDirectory(db, calendar),
    reporting: new ReportingService(db, audit, calendar, reports),
    cinCensus: new CinCensusService(db, audit, calendar, config.laCode, reports),
    annexA: new AnnexAService(db, audit, calendar, reports),
  };
}
export type Services = ReturnType<typeof createServices>;

/** The schema as type-graphql builds it from the code (printed to schema.graphql by `npm run schema`). */
export async function buildBareSchema(services?: Services): Promise<GraphQLSchema> {
  const s = services;
  const instances = new Map<Function, object>(
    s
      ? [
          [IdentityResolver, new IdentityResolver()],
          [ChildResolver, new ChildResolver(s.child)],
          [FamilyResolver, new FamilyResolver(s.family)],
          [FamilyMemberResolver, new FamilyMemberResolver()],
          [ReferralResolver, new ReferralResolver(s.frontDoor, s.calendar)],
          [AllocationResolver, new AllocationResolver(s.frontDoor)],
          [RestrictionResolver, new RestrictionResolver(s.restriction)],
          [AuditResolver, new AuditResolver(s.auditLog)],
          [CalendarResolver, new CalendarResolver(s.calendar)],
          ...modules.flatMap((m) => m.instances(s)).map((r): [Function, object] => [r.constructor, r]),
        ]
      : [],
  );
  return buildSchema({
    resolvers: resolvers as unknown as [Function, ...Function[]],
    container: { get: (cls) => instances.get(cls) },
    // type-graphql 2 does not validate unless asked: class-validator rules are the input contract.
    validate: { forbidUnknownValues: false },
  });
}

/** Deny by default, typed errors kept, denials answered FORBIDDEN (STACK.md traps). */
export function guard(schema: GraphQLSchema, rules = permissionMap()): GraphQLSchema {
  const permissions = shield(rules, {
    fallbackRule: deny,
    allowExternalErrors: true,
    fallbackError: () => new DomainError(ErrorCode.FORBIDDEN),
  });
  return applyMiddleware(schema, permissions);
}

export interface Haven {
  apollo: ApolloServer<Ctx>;
  services: Services;
  verifier: TokenVerifier;
  /** Where reporting reads run (for /readyz). */
  reports: ReportingDb;
  /** `verified`: the token's principal when the HTTP layer has already verified it for this request (rate limiting). */
  contextFor(authorization: string | undefined, requestId: string, verified?: Promise<Principal | null>): Promise<Ctx>;
}

export async function createHaven(
  db: DataSource,
  config: Config,
  log: Logger,
  clock?: Clock,
  reports = new ReportingDb(db),
): Promise<Haven> {
  const services = createServices(db, config, clock, reports);
  await services.calendar.load();
  const schema = guard(await buildBareSchema(services));
  const verifier = await createTokenVerifier(config);

  const errorLogging: ApolloServerPlugin<Ctx> = {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const err of errors) {
            const code = err.extensions?.code;
            if (!code || code === 'INTERNAL_SERVER_ERROR') {
              contextValue.log.error({ err: safeError(err.originalError ?? err), path: err.path }, 'unexpected error');
            }
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          for (const e of response.body.singleResult.errors ?? []) {
            if (e.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR) {
              (e.extensions as Record<string, unknown>).requestId = contextValue.requestId;
            }
          }
        },
      };
    },
  };

  const apollo = new ApolloServer<Ctx>({
    schema,
    formatError,
    introspection: config.env !== 'production',
    // "Did you mean …" suggestions would describe the schema to anyone in production.
    hideSchemaDetailsFromClientErrors: config.env === 'production',
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // Depth, alias, cost and directive limits (validation: 400 GRAPHQL_VALIDATION_FAILED) and a token limit (parser:
    // 400 GRAPHQL_PARSE_FAILED), checked before any resolver runs; limits shown in messages only outside production.
    validationRules: queryLimitRules(undefined, config.env !== 'production'),
    parseOptions: queryParseOptions(),
    stopOnTerminationSignals: false,
    plugins: [refuseNulBytes, errorLogging, serviceUnavailableStatus, ...(config.env === 'production' ? [ApolloServerPluginLandingPageDisabled()] : [])],
  });
  await apollo.start();

  async function contextFor(authorization: string | undefined, requestId: string, verified?: Promise<Principal | null>): Promise<Ctx> {
    const reqLog = log.child({ requestId });
    let actor = null;
    if (authorization) {
      const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization);
      const principal = match ? await (verified ?? verifier.verify(match[1]).catch(() => null)) : null;
      // The account is read from the database: when it cannot be reached, answer 503 (not 401, not 500).
      actor = principal
        ? await services.accounts.actorFor(principal, requestId).catch((err: unknown) => {
            if (!isDatabaseUnavailable(err)) throw err;
            reqLog.error({ err: safeError(err) }, 'database unavailable');
            throw serviceUnavailable(requestId);
          })
        : null;
      if (!actor) {
        reqLog.warn('refused a bearer token');
        throw new GraphQLError('Invalid or expired token', {
          extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
        });
      }
    }
    return {
      actor,
      requestId,
      log: reqLog,
      loaders: createLoaders(db, actor),
      recordDenial: (event) => services.audit.record(db, actor, { ...event, result: AuditResult.DENIED }),
    };
  }

  return { apollo, services, verifier, reports, contextFor };
}
