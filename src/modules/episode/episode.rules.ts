/** ReasonForClosure (N00103). RC8 and RC9 mean "closed after assessment" (no further action / stepped down to early help). */
export const CLOSURE_REASONS = ['RC1', 'RC2', 'RC3', 'RC4', 'RC5', 'RC6', 'RC7', 'RC8', 'RC9'] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

export const CLOSED_AFTER_ASSESSMENT: readonly string[] = ['RC8', 'RC9'];

/** PostgreSQL exclusion violation (SQLSTATE 23P01), optionally on a named constraint. */
export function isExclusionViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e.driverError?.code ?? e.code;
  const name = e.driverError?.constraint ?? e.constraint;
  return code === '23P01' && (!constraint || name === constraint);
}
