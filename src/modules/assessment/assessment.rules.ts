import { AssessmentOutcome } from './assessment.entity';

/**
 * AssessmentFactors (N00181), CIN census code table §4 without the deprecated 18A/19A (queries 8945Q/8950Q).
 * `21` (no factors identified) must stand alone (8869); no code twice (8898).
 */
export const ASSESSMENT_FACTOR_CODES = [
  '1A', '1B', '1C', '2A', '2B', '2C', '3A', '3B', '3C', '4A', '4B', '4C', '5A', '5B', '5C', '6A', '6B', '6C', '7A', '8B', '8C',
  '8D', '8E', '8F', '9A', '10A', '11A', '12A', '13A', '14A', '15A', '16A', '17A', '18B', '18C', '19B', '19C', '20', '21', '22A',
  '23A', '24A',
] as const;
export const NO_FACTORS = '21';

/** `21` is used with another factor. */
export const noFactorsNotAlone = (factors: readonly string[]) => factors.includes(NO_FACTORS) && factors.length > 1;

/** What authorising an assessment does to its episode: CLOSE → RC8, EARLY_HELP → RC9 (a step-down); otherwise nothing. */
export function closureOnAuthorisation(outcome: AssessmentOutcome | null): 'RC8' | 'RC9' | null {
  if (outcome === AssessmentOutcome.CLOSE) return 'RC8';
  if (outcome === AssessmentOutcome.EARLY_HELP) return 'RC9';
  return null;
}

export const MIN_ANALYSIS_TEXT = 20;
export const MIN_LATE_REASON = 10;
