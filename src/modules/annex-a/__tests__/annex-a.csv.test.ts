import { neutralise, toCsv } from '../annex-a.csv';
import { disabilityLabel, ethnicityLabel, sexLabel, sourceLabel, ukDate } from '../annex-a.labels';

describe('Annex A CSV', () => {
  it('neutralises every cell a spreadsheet would run as a formula (=, +, -, @, tab, carriage return)', () => {
    for (const cell of ['=HYPERLINK("http://x","y")', '+1+2', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
      expect(neutralise(cell)).toBe(`'${cell}`);
    }
    for (const cell of ['Team A', '01/02/2026', 'a) 1A: Individual', '', "'quoted", ' =spaced', 'x=1']) {
      expect(neutralise(cell)).toBe(cell);
    }
  });

  it('writes RFC 4180: header first, CRLF line ends, quoting only what needs it, blanks empty', () => {
    const csv = toCsv(['Child Unique ID', 'Allocated Worker'], [
      ['C1', 'Smith, Jo'],
      ['C2', 'Jo "JJ" Smith'],
      ['C3', 'line\nbreak'],
      ['C4', null],
    ]);
    expect(csv).toBe(
      'Child Unique ID,Allocated Worker\r\n' +
        'C1,"Smith, Jo"\r\n' +
        'C2,"Jo ""JJ"" Smith"\r\n' +
        'C3,"line\nbreak"\r\n' +
        'C4,\r\n',
    );
  });

  it('neutralises before quoting, so a quoted formula is still text', () => {
    expect(toCsv(['A'], [['=1+1'], ['-1,2'], ['@"x"'], ['\r\nx']])).toBe('A\r\n\'=1+1\r\n"\'-1,2"\r\n"\'@""x"""\r\n"\'\r\nx"\r\n');
  });
});

describe('Annex A labels', () => {
  it("uses Ofsted's lettered labels", () => {
    expect([sexLabel('M'), sexLabel('F'), sexLabel('U')]).toEqual(['a) Male', 'b) Female', 'c) Not stated/recorded']);
    expect([ethnicityLabel('WBRI'), ethnicityLabel('REFU'), ethnicityLabel('NOBT'), ethnicityLabel(null)])
      .toEqual(['a) WBRI', 's) REFU', 't) NOBT', 't) NOBT']);
    expect([sourceLabel('1A'), sourceLabel('2A'), sourceLabel('5D'), sourceLabel('10')])
      .toEqual(['a) 1A: Individual', 'e) 2A: Schools', 'p1) 5D: LA services', 'u) 10: Unknown']);
    expect([disabilityLabel(['AUT']), disabilityLabel(['NONE']), disabilityLabel([])]).toEqual(['a) Yes', 'b) No', 'c) Unknown']);
    expect([ukDate('2026-03-31'), ukDate(null)]).toEqual(['31/03/2026', null]);
  });
});
