import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { GraphQLSchema, Kind, parse, specifiedRules, validate } from 'graphql';

export interface HavenOperation {
  file: string;
  source: string;
}

const ROOT = path.resolve(__dirname, '..');

function walk(dir: string, keep: (f: string) => boolean, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') walk(full, keep, out);
    } else if (keep(full)) out.push(full);
  }
  return out;
}

/** Every file whose GraphQL strings are Haven's own queries: the test suites, their helpers and the benchmarks. */
export function havenQueryFiles(): string[] {
  const isTs = (f: string) => f.endsWith('.ts') && !f.endsWith('.d.ts');
  return [
    ...walk(path.join(ROOT, 'test'), isTs),
    ...walk(path.join(ROOT, 'src'), (f) => isTs(f) && f.includes(`${path.sep}__tests__${path.sep}`)),
    ...walk(path.join(ROOT, 'bench'), isTs),
  ].filter((f) => !f.endsWith('hardening.int.test.ts') && !f.endsWith('haven-operations.ts'));
}

/** String and template literals in a file (a template's `${…}` parts are dropped: most are ids or fragments of values). */
function literals(file: string): string[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    else if (ts.isTemplateExpression(node)) {
      found.push(node.head.text + node.templateSpans.map((s) => s.literal.text).join(''));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/**
 * Haven's own operations, gathered from the source of its tests and benchmarks: every literal that parses as a GraphQL
 * document with an operation and is valid against the schema (the deliberately broken ones in the bad-input tests are not).
 */
export function collectHavenOperations(schema: GraphQLSchema): HavenOperation[] {
  const seen = new Set<string>();
  const ops: HavenOperation[] = [];
  for (const file of havenQueryFiles()) {
    for (const text of literals(file)) {
      if (!/^\s*(query|mutation|subscription|\{|fragment)/.test(text) || seen.has(text)) continue;
      seen.add(text);
      let doc;
      try {
        doc = parse(text);
      } catch {
        continue;
      }
      if (!doc.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION)) continue;
      if (validate(schema, doc, specifiedRules).length > 0) continue;
      ops.push({ file: path.relative(ROOT, file), source: text });
    }
  }
  return ops;
}
