import type { WorkingCalendar } from '../../../shared/clock/calendar';
import type { CensusChild, CensusIssue, CensusPeriod } from '../census.model';
import { RULES } from './catalogue';
import { DISABILITY_CODES } from './codes';
import { CHILD_RULES, Hit } from './child-rules';
import { censusPeriod, RuleContext, ruleContext } from './context';

/** The LA-wide rules (run over the whole return, so not shown on a child's record). */
export const CENSUS_RULE_CODES = ['100', '1520', '8510', '2883', '2886Q', '2887Q', '2888Q'] as const;

/** In the order of the published table (an object would put the numeric codes first). */
const CHILD_RULE_ENTRIES = [...RULES.keys()].filter((code) => CHILD_RULES[code]).map((code) => [code, CHILD_RULES[code]] as const);

function issue(code: string, child: CensusChild | null, hit: Hit): CensusIssue {
  const rule = RULES.get(code)!;
  return {
    rule: code,
    severity: rule.severity,
    childId: child?.childId ?? null,
    laChildId: child?.laChildId ?? null,
    field: hit.field,
    recordId: hit.recordId,
    message: rule.message,
  };
}

/** Every child-level rule for one child, in the order of the published table; a rule reports a field of a record once. */
export function checkChild(child: CensusChild, cx: RuleContext): CensusIssue[] {
  const out: CensusIssue[] = [];
  for (const [code, rule] of CHILD_RULE_ENTRIES) {
    const hits = rule(child, cx);
    if (hits.length === 0) continue;
    const seen = new Set<string>();
    for (const hit of hits) {
      const key = `${hit.field} ${hit.recordId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(issue(code, child, hit));
    }
  }
  return out;
}

/**
 * Validates a return batch by batch (the loader streams children): `add` answers each batch's child-level issues and
 * the duplicate identifiers it reveals (1520, 8510), `finish` the LA-wide rules over everything added. Memory: one
 * entry per UPN and LA child ID, a few counters.
 */
export class CensusValidator {
  private readonly cx: RuleContext;
  private readonly upns = new Map<string, { child: CensusChild; reported: boolean }>();
  private readonly laChildIds = new Map<string, { child: CensusChild; reported: boolean }>();
  private children = 0;
  private noSex = 0;
  private cppStarts = 0;
  private initialConferences = 0;
  private readonly disabilityCodes = new Set<string>();
  private multipleDisabilities = false;

  constructor(
    private readonly period: CensusPeriod,
    calendar: WorkingCalendar,
  ) {
    this.cx = ruleContext(period, calendar);
  }

  add(batch: CensusChild[]): CensusIssue[] {
    const out: CensusIssue[] = [];
    for (const child of batch) {
      out.push(...checkChild(child, this.cx));
      if (child.upn) out.push(...this.duplicate(this.upns, child.upn, child, '1520', 'UPN'));
      if (child.laChildId) out.push(...this.duplicate(this.laChildIds, child.laChildId, child, '8510', 'LAchildID'));
      this.count(child);
    }
    return out;
  }

  finish(): CensusIssue[] {
    const la = (code: string, field: string, when: boolean) => (when ? [issue(code, null, { field, recordId: null })] : []);
    const expected = censusPeriod(this.period.year);
    const out = la('100', 'ReferenceDate', this.period.referenceDate !== expected.referenceDate || this.period.start !== expected.start);
    if (this.children === 0) return out;
    return [
      ...out,
      ...la('2883', 'CPPstartDate', this.cppStarts > this.initialConferences),
      ...la('2886Q', 'Sex', this.noSex / this.children > 0.02),
      ...la('2887Q', 'Disability', this.disabilityCodes.size < 8),
      ...la('2888Q', 'Disability', !this.multipleDisabilities),
    ];
  }

  /** Reports every child sharing an identifier: the first one when the second appears, then each later one. */
  private duplicate(seen: Map<string, { child: CensusChild; reported: boolean }>, key: string, child: CensusChild, code: string, field: string) {
    const first = seen.get(key);
    if (!first) {
      seen.set(key, { child, reported: false });
      return [];
    }
    const out = first.reported ? [] : [issue(code, first.child, { field, recordId: first.child.childId })];
    first.reported = true;
    out.push(issue(code, child, { field, recordId: child.childId }));
    return out;
  }

  private count(child: CensusChild) {
    const { start, ref } = this.cx;
    const inYear = (d: string | null) => d !== null && d >= start && d <= ref;
    this.children += 1;
    if ((child.sex === null || child.sex === 'U') && !child.expectedBirthDate) this.noSex += 1;
    const disabilities = child.disabilities.filter((d) => d !== 'NONE' && (DISABILITY_CODES as readonly string[]).includes(d));
    for (const d of disabilities) this.disabilityCodes.add(d);
    if (new Set(disabilities).size > 1) this.multipleDisabilities = true;
    for (const d of child.details) {
      if (inYear(d.initialCpcDate)) this.initialConferences += 1;
      for (const s of d.section47s) if (inYear(s.icpcDate)) this.initialConferences += 1;
      for (const k of d.cpPlans) if (inYear(k.startDate)) this.cppStarts += 1;
    }
  }
}
