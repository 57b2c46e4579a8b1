import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CensusChild, CensusPeriod } from '../../census.model';
import { IssueSeverity } from '../../census.model';
import { CENSUS_RULE_CODES, CensusValidator, CHILD_RULES, NOT_IMPLEMENTABLE, RULES, validateCensus } from '..';
import { CALENDAR, cleanChild, cleanPopulation, PERIOD } from './fixtures';
import { englandAndWalesBankHolidays, WorkingCalendar } from '../../../../shared/clock/calendar';
import { workingDaysBack } from '../context';

type Case = [code: string, field: string, fail: () => [CensusChild[], CensusPeriod?], pass: () => [CensusChild[], CensusPeriod?]];
const withChange = (size: number, change: (children: CensusChild[]) => void) => () => {
  const children = cleanPopulation(size);
  change(children);
  return [children] as [CensusChild[]];
};

/** One row per LA-wide rule: a return that breaks it and a near miss that does not. */
const CASES: Case[] = [
  ['100', 'ReferenceDate', () => [cleanPopulation(), { ...PERIOD, referenceDate: '2026-03-30' }], () => [cleanPopulation(), PERIOD]],
  ['1520', 'UPN', withChange(10, (cs) => (cs[3].upn = cs[0].upn)), withChange(10, (cs) => (cs[3].upn = null))],
  ['8510', 'LAchildID', withChange(10, (cs) => (cs[3].laChildId = cs[0].laChildId)), withChange(10, (cs) => (cs[3].laChildId = 'X1'))],
  ['2883', 'CPPstartDate', withChange(10, (cs) => (cs[0].details[0].section47s[0].icpcDate = null)),
    withChange(10, (cs) => Object.assign(cs[0].details[0], { section47s: [], initialCpcDate: '2025-07-10' }))],
  ['2886Q', 'Sex', withChange(10, (cs) => (cs[9].sex = 'U')), withChange(60, (cs) => (cs[59].sex = 'U'))],
  ['2887Q', 'Disability', withChange(10, (cs) => (cs[6].disabilities = cs[7].disabilities = ['NONE'])),
    withChange(10, (cs) => (cs[7].disabilities = ['NONE']))],
  ['2888Q', 'Disability', withChange(10, (cs) => (cs[0].disabilities = ['MOB', 'NONE'])), withChange(10, (cs) => (cs[1].disabilities = ['PC', 'DDA']))],
];

describe('CIN census LA-wide rules (2025-26)', () => {
  it('a clean return breaks no rule', () => {
    expect(validateCensus(cleanPopulation(), PERIOD, CALENDAR)).toEqual([]);
  });

  it('has a failing and a passing case for every LA-wide rule', () => {
    expect(CASES.map(([code]) => code).sort()).toEqual([...CENSUS_RULE_CODES].sort());
  });

  it.each(CASES)('%s fails when broken, naming %s, and passes the near miss', (code, field, fail, pass) => {
    const check = ([children, period]: [CensusChild[], CensusPeriod?]) =>
      validateCensus(children, period ?? PERIOD, CALENDAR).filter((i) => i.rule === code);
    const found = check(fail());
    expect(found.length).toBeGreaterThan(0);
    for (const issue of found) expect(issue).toMatchObject({ field, severity: RULES.get(code)!.severity, message: RULES.get(code)!.message });
    expect(check(pass())).toEqual([]);
  });

  it('finds duplicate identifiers across batches and names every child holding one', () => {
    const [a, b, c] = [cleanChild(1), cleanChild(2), cleanChild(3)];
    b.upn = a.upn;
    c.upn = a.upn;
    const validator = new CensusValidator(PERIOD, CALENDAR);
    expect(validator.add([a])).toEqual([]);
    expect(validator.add([b]).map((i) => [i.rule, i.childId])).toEqual([['1520', 'child-1'], ['1520', 'child-2']]);
    expect(validator.add([c]).map((i) => [i.rule, i.childId])).toEqual([['1520', 'child-3']]);
    expect(validator.finish().map((i) => i.rule)).toEqual(['2887Q', '2888Q']);
  });

  it('reports an LA-wide issue against no child', () => {
    const [issue] = validateCensus([cleanChild()], PERIOD, CALENDAR);
    expect(issue).toEqual({
      rule: '2887Q', severity: IssueSeverity.QUERY, childId: null, laChildId: null, field: 'Disability', recordId: null,
      message: 'Please check and either amend or provide a reason: Less than 8 disability codes have been used in your return',
    });
  });
});

describe('the rule catalogue', () => {
  const doc = readFileSync(path.resolve(__dirname, '../../../../../test/fixtures/dfe/cin_validation_rules_2025_26.md'), 'utf8');
  const published = doc
    .split('\n')
    .filter((line) => /^\| \d/.test(line))
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map(([, code, type, module, message]) => ({ code, type, module, message }));

  it('has every published rule with its type, module and message', () => {
    expect(published).toHaveLength(109);
    for (const rule of published) {
      expect(RULES.get(rule.code)).toEqual({ code: rule.code, severity: rule.type, module: rule.module, message: rule.message });
    }
    expect(RULES.size).toBe(published.length);
  });

  it('implements every rule once, except those that cannot fail on Haven data (each with its reason)', () => {
    const implemented = [...Object.keys(CHILD_RULES), ...CENSUS_RULE_CODES];
    expect(new Set(implemented).size).toBe(implemented.length);
    for (const code of Object.keys(NOT_IMPLEMENTABLE)) {
      expect(implemented).not.toContain(code);
      expect(NOT_IMPLEMENTABLE[code].length).toBeGreaterThan(40);
    }
    expect([...implemented, ...Object.keys(NOT_IMPLEMENTABLE)].sort()).toEqual([...RULES.keys()].sort());
  });
});

describe('working days counted back from the ReferenceDate (the DfE validator: ref - CustomBusinessDay(n - 1))', () => {
  const calendar = new WorkingCalendar(englandAndWalesBankHolidays(2023, 2030).map((h) => h.date));
  it.each([
    // 31 March 2026 is a Tuesday (working_days.md's worked examples).
    ['2026-03-31', 1, '2026-03-31'], ['2026-03-31', 15, '2026-03-11'], ['2026-03-31', 45, '2026-01-28'],
    // 31 March 2024 is Easter Sunday (Good Friday 29 March, Easter Monday 1 April): the first step back is Thursday 28.
    ['2024-03-31', 15, '2024-03-11'], ['2024-03-31', 45, '2024-01-29'], ['2024-03-31', 1, '2024-04-02'],
    // 31 March 2029 is Easter Saturday (Good Friday 30 March, Easter Monday 2 April).
    ['2029-03-31', 2, '2029-03-29'], ['2029-03-31', 1, '2029-04-03'],
    // 31 March 2030 is a Sunday with no holiday around it: Friday 29 March is the first step back.
    ['2030-03-31', 2, '2030-03-29'], ['2030-03-31', 1, '2030-04-01'],
  ])('%s minus %i working days is %s', (ref, n, expected) => {
    expect(workingDaysBack(calendar, ref, n)).toBe(expected);
  });
});
