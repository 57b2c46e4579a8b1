/** CIN census code sets the rules check against (shared/domain/cin_census_code_tables.md). */
export {
  DISABILITY_CODES, ETHNICITY_CODES, PRIMARY_NEED_CODES, REFERRAL_SOURCE_CODES, UPN_UNKNOWN_CODES,
} from '../../reference/codes';

export const SEX_CODES = ['M', 'F', 'U'] as const;

export const REASON_FOR_CLOSURE_CODES = ['RC1', 'RC2', 'RC3', 'RC4', 'RC5', 'RC6', 'RC7', 'RC8', 'RC9'] as const;

export const CATEGORY_OF_ABUSE_CODES = ['NEG', 'PHY', 'SAB', 'EMO', 'MUL'] as const;

/** Factors identified at assessment: the schema's list plus 18A and 19A, still accepted but queried (8945Q, 8950Q). */
export const ASSESSMENT_FACTOR_CODES = [
  '1A', '1B', '1C', '2A', '2B', '2C', '3A', '3B', '3C', '4A', '4B', '4C', '5A', '5B', '5C', '6A', '6B', '6C', '7A',
  '8B', '8C', '8D', '8E', '8F', '9A', '10A', '11A', '12A', '13A', '14A', '15A', '16A', '17A', '18A', '18B', '18C',
  '19A', '19B', '19C', '20', '21', '22A', '23A', '24A',
] as const;

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => String(from + k));

/**
 * Post-April-1998 LA codes and pseudo-LA codes accepted in characters 2-4 of a UPN (rule 1530, as listed in the DfE rule:
 * 001-005, 201-213, 301-320, 330-336, 340-344, 350-359, 370-373, 380-384, 390-394, 420, 660-681, 701-708, 800-803,
 * 805-808, 810-813, 815, 816, 820-823, 825, 826, 830, 831, 835-841, 845, 846, 850-852, 855-857, 860, 861, 865-896, 908,
 * 909, 916, 919, 921, 925, 926, 928, 929, 931, 933, 935-938, 940-943).
 */
export const UPN_LA_CODES: ReadonlySet<string> = new Set([
  '001', '002', '003', '004', '005',
  ...range(201, 213), ...range(301, 320), ...range(330, 336), ...range(340, 344), ...range(350, 359), ...range(370, 373),
  ...range(380, 384), ...range(390, 394), '420', ...range(660, 681), ...range(701, 708), ...range(800, 803), ...range(805, 808),
  ...range(810, 813), '815', '816', ...range(820, 823), '825', '826', '830', '831', ...range(835, 841), '845', '846',
  ...range(850, 852), ...range(855, 857), '860', '861', ...range(865, 896), '908', '909', '916', '919', '921', '925', '926',
  '928', '929', '931', '933', ...range(935, 938), ...range(940, 943),
]);
