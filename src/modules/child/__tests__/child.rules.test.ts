import { isValidNhsNumber, isValidUpn, LA_CHILD_ID, upnCheckLetter, withNhsCheckDigit, withUpnCheckLetter } from '../child.rules';

describe('NHS number', () => {
  it('accepts a number whose modulus 11 check digit is right', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true); // the NHS's published example
    expect(isValidNhsNumber('4010232137')).toBe(true);
  });
  it('refuses a wrong check digit, a check of 10, and bad shapes', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('1000000010')).toBe(false); // sum 10 -> check 10 -> never valid
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('94347659190')).toBe(false);
    expect(isValidNhsNumber('943476591A')).toBe(false);
  });
  it('builds valid numbers for synthetic data', () => {
    const n = withNhsCheckDigit('943476591');
    expect(n).toBe('9434765919');
    expect(withNhsCheckDigit('100000001')).toBeNull();
  });
});

describe('UPN', () => {
  it('computes the check letter with weights 2..13 mod 23', () => {
    // 201 (LA) 2026 (school) 00001 (serial): digits 2,0,1,2,0,2,6,0,0,0,0,1 weighted 2..13 = 4+0+4+10+0+14+48+0+0+0+0+13 = 93; 93 mod 23 = 1 -> 'B'
    expect(upnCheckLetter('A201202600001')).toBe('B');
    expect(isValidUpn('B201202600001')).toBe(true);
    expect(isValidUpn('A201202600001')).toBe(false);
  });
  it('handles a temporary UPN ending in a letter and refuses I, O and S', () => {
    const temp = withUpnCheckLetter('20120260000A');
    expect(isValidUpn(temp)).toBe(true);
    expect(upnCheckLetter('A20120260000I')).toBeNull();
    expect(upnCheckLetter('A20120260000O')).toBeNull();
    expect(isValidUpn('T2012026000')).toBe(false);
  });
});

describe('LA child ID', () => {
  it('is 1 to 20 letters and digits', () => {
    expect(LA_CHILD_ID.test('C0001234')).toBe(true);
    expect(LA_CHILD_ID.test('A'.repeat(20))).toBe(true);
    expect(LA_CHILD_ID.test('A'.repeat(21))).toBe(false);
    expect(LA_CHILD_ID.test('C-0001')).toBe(false);
    expect(LA_CHILD_ID.test('')).toBe(false);
  });
});
