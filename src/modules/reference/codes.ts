/** CIN census code sets used while recording (shared/domain/cin_census_code_tables.md). */
export const ETHNICITY_CODES = [
  'WBRI', 'WIRI', 'WIRT', 'WOTH', 'WROM', 'MWBC', 'MWBA', 'MWAS', 'MOTH', 'AIND', 'APKN', 'ABAN', 'AOTH', 'BCRB', 'BAFR',
  'BOTH', 'CHNE', 'OOTH', 'REFU', 'NOBT',
] as const;

export const DISABILITY_CODES = ['NONE', 'MOB', 'HAND', 'PC', 'INC', 'COMM', 'LD', 'HEAR', 'VIS', 'BEH', 'CON', 'AUT', 'DDA'] as const;

export const UPN_UNKNOWN_CODES = ['UN1', 'UN2', 'UN3', 'UN4', 'UN5', 'UN6', 'UN7'] as const;

export const REFERRAL_SOURCE_CODES = [
  '1A', '1B', '1C', '1D', '2A', '2B', '3A', '3B', '3C', '3D', '3E', '3F', '4', '5A', '5B', '5C', '5D', '6', '7', '8', '9', '10',
] as const;

export const PRIMARY_NEED_CODES = ['N0', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8', 'N9'] as const;

export const FAMILY_RELATIONSHIPS = [
  'CHILD', 'SIBLING', 'HALF_SIBLING', 'STEP_SIBLING', 'MOTHER', 'FATHER', 'STEP_PARENT', 'PARENTS_PARTNER', 'GRANDPARENT',
  'AUNT_OR_UNCLE', 'OTHER_RELATIVE', 'FOSTER_CARER', 'SPECIAL_GUARDIAN', 'FAMILY_FRIEND', 'OTHER',
] as const;
