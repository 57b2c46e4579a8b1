import { AnyRule, fields, viaParent } from './rules';

type RuleMap = Record<string, Record<string, AnyRule>>;

/** Merges the modules' rule maps; a field given a rule twice is a mistake and fails start-up. */
export function mergeRules(...maps: RuleMap[]): RuleMap {
  const out: RuleMap = { PageInfo: fields(viaParent, ['hasNextPage', 'endCursor']) };
  for (const map of maps) {
    for (const [type, fieldRules] of Object.entries(map)) {
      out[type] ??= {};
      for (const [field, r] of Object.entries(fieldRules)) {
        if (out[type][field]) throw new Error(`permission for ${type}.${field} is defined twice`);
        out[type][field] = r;
      }
    }
  }
  return out;
}

/** `Type.field -> rule name`, the reviewed snapshot of who may read and do what. */
export function describeRules(map: RuleMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const type of Object.keys(map).sort()) {
    for (const field of Object.keys(map[type]).sort()) out[`${type}.${field}`] = (map[type][field] as { name?: string }).name ?? 'allow';
  }
  return out;
}
