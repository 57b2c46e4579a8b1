import { actorFromAccount } from '../actor';
import { TeamKind } from '../identity.entity';
import { CaseScope, caseScopeOf, ROLE_PERMISSIONS } from '../permissions';
import { RoleCode } from '../roles';
import { checkChildFields } from '../../child/child.service';
import { Sex } from '../../child/child.entity';

const CASE_PERMISSIONS = ['child:read', 'child:create', 'child:update', 'family:read', 'referral:read', 'referral:create', 'contact:record'];

describe('roles and permissions', () => {
  it('define all eleven roles of the contract', () => {
    expect(Object.keys(ROLE_PERMISSIONS).sort()).toEqual(Object.values(RoleCode).sort());
    expect(Object.keys(ROLE_PERMISSIONS)).toHaveLength(11);
  });

  it('give provider staff, analysts, information governance and administrators no case data', () => {
    for (const role of [RoleCode.PROVIDER_PRACTITIONER, RoleCode.PROVIDER_MANAGER, RoleCode.PERFORMANCE_ANALYST, RoleCode.ADMIN,
      RoleCode.INFORMATION_GOVERNANCE]) {
      expect(ROLE_PERMISSIONS[role].filter((p) => CASE_PERMISSIONS.includes(p))).toEqual([]);
    }
    for (const role of [RoleCode.PERFORMANCE_ANALYST, RoleCode.ADMIN, RoleCode.INFORMATION_GOVERNANCE]) {
      expect(caseScopeOf([role])).toBe(CaseScope.NONE);
    }
  });

  it("scope provider staff to their organisation's referred families, read only through their agreement", () => {
    for (const role of [RoleCode.PROVIDER_PRACTITIONER, RoleCode.PROVIDER_MANAGER]) {
      expect(caseScopeOf([role])).toBe(CaseScope.PROVIDER);
      expect(ROLE_PERMISSIONS[role]).toContain('earlyhelp:shared');
      expect(ROLE_PERMISSIONS[role]).not.toContain('earlyhelp:read');
      expect(ROLE_PERMISSIONS[role]).not.toContain('supervision:mine');
    }
    expect(caseScopeOf([RoleCode.EARLY_HELP_PRACTITIONER])).toBe(CaseScope.EARLY_HELP);
  });

  it('scope practitioners to their team, the front door also to unallocated children, service managers to all', () => {
    expect(caseScopeOf([RoleCode.SOCIAL_WORKER])).toBe(CaseScope.TEAM);
    expect(caseScopeOf([RoleCode.TEAM_MANAGER])).toBe(CaseScope.TEAM);
    expect(caseScopeOf([RoleCode.FRONT_DOOR])).toBe(CaseScope.TEAM_AND_UNALLOCATED);
    expect(caseScopeOf([RoleCode.SOCIAL_WORKER, RoleCode.SERVICE_MANAGER])).toBe(CaseScope.SERVICE);
  });

  it('give all early help and commissioning to early help practitioners, service managers and managers of an early help team only', () => {
    const holders = Object.entries(ROLE_PERMISSIONS).filter(([, ps]) => ps.includes('earlyhelp:all')).map(([r]) => r).sort();
    expect(holders).toEqual(['EARLY_HELP_PRACTITIONER', 'SERVICE_MANAGER']);
    const commissioners = Object.entries(ROLE_PERMISSIONS).filter(([, ps]) => ps.includes('earlyhelp:commission')).map(([r]) => r).sort();
    expect(commissioners).toEqual(['EARLY_HELP_PRACTITIONER', 'SERVICE_MANAGER']);
    const account = (roles: RoleCode[], teamKind: TeamKind) => actorFromAccount({
      id: 'a', email: 'a@test.example', displayName: 'A', teamId: 't', teamKind, providerId: null, newlyQualified: false, roles,
    }, 'r').permissions;
    expect([...account([RoleCode.TEAM_MANAGER], TeamKind.EARLY_HELP)]).toEqual(expect.arrayContaining(['earlyhelp:all', 'earlyhelp:commission']));
    for (const [roles, kind] of [
      [[RoleCode.TEAM_MANAGER], TeamKind.CHILD_IN_NEED], [[RoleCode.SOCIAL_WORKER], TeamKind.EARLY_HELP],
    ] as const) {
      const ps = account([...roles], kind);
      expect(ps.has('earlyhelp:all') || ps.has('earlyhelp:commission')).toBe(false);
    }
  });

  it('let only managers and the front door decide referrals and allocate cases', () => {
    const deciders = Object.entries(ROLE_PERMISSIONS).filter(([, ps]) => ps.includes('referral:decide')).map(([r]) => r).sort();
    expect(deciders).toEqual(['FRONT_DOOR', 'SERVICE_MANAGER', 'TEAM_MANAGER']);
    const allocators = Object.entries(ROLE_PERMISSIONS).filter(([, ps]) => ps.includes('case:allocate')).map(([r]) => r).sort();
    expect(allocators).toEqual(['FRONT_DOOR', 'SERVICE_MANAGER', 'TEAM_MANAGER']);
  });
});

describe('child record cross-field rules', () => {
  const base = { dateOfBirth: '2015-01-01', expectedDateOfBirth: null, sex: Sex.F, upn: null, upnUnknownReason: null, disabilities: [] };
  it('accept a born child and an unborn child of sex U', () => {
    expect(() => checkChildFields(base)).not.toThrow();
    expect(() => checkChildFields({ ...base, dateOfBirth: null, expectedDateOfBirth: '2027-02-01', sex: Sex.U })).not.toThrow();
  });
  it('refuse neither or both dates, an unborn child not of sex U, a UPN with a reason, NONE with other disabilities', () => {
    const field = (c: object) => {
      try {
        checkChildFields({ ...base, ...c });
        return null;
      } catch (e) {
        return (e as { extensions: { fields: { field: string }[] } }).extensions.fields[0].field;
      }
    };
    expect(field({ dateOfBirth: null })).toBe('dateOfBirth');
    expect(field({ expectedDateOfBirth: '2027-01-01' })).toBe('dateOfBirth');
    expect(field({ dateOfBirth: null, expectedDateOfBirth: '2027-01-01' })).toBe('sex');
    expect(field({ upn: 'B201202600001', upnUnknownReason: 'UN1' })).toBe('upnUnknownReason');
    expect(field({ disabilities: ['NONE', 'AUT'] })).toBe('disabilities');
  });
});
