import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * No runtime import cycle between the folders of `shared/`. A folder is a node; an edge A → B is a
 * runtime import (static `import`/`export … from`, or a dynamic `import()`) of a file in B by a
 * file in A. Type-only imports (`import type`, `export type`, or an import whose every name is
 * marked `type`) are erased before the code runs, so they are left out of the graph: a folder may
 * name another's types without depending on it at run time (today `guardrails/guardrails.ts` names
 * the job contract's `Plan` type while `jobs/` uses the control store). A cycle is reported by its
 * folders, with one importing file per edge. To break one, move the shared piece into a module that
 * imports nothing back (`shared/core/`, or the lower folder), as `docs/architecture.md` lays out.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SHARED = join(ROOT, 'shared');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The module specifiers a file imports at run time. */
function runtimeImports(source: string, fileName = 'x.ts'): string[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) out.push(node.moduleSpecifier.text);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const typeOnly =
        node.isTypeOnly ||
        (node.exportClause !== undefined &&
          ts.isNamedExports(node.exportClause) &&
          node.exportClause.elements.length > 0 &&
          node.exportClause.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) out.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      out.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The top folder of `shared/` a path lies in, or undefined outside `shared/`. */
function folderOf(path: string): string | undefined {
  const rel = relative(SHARED, path);
  if (rel.startsWith('..')) return undefined;
  const [top] = rel.split(/[\\/]/);
  return top;
}

/** Folder → folders it imports at run time, with one file and specifier per edge as evidence. */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of tsFiles(SHARED)) {
    const from = folderOf(file);
    if (!from) continue;
    const edges = graph.get(from) ?? new Map<string, string>();
    graph.set(from, edges);
    for (const spec of runtimeImports(readFileSync(file, 'utf8'), file)) {
      if (!spec.startsWith('.')) continue;
      const to = folderOf(resolve(dirname(file), spec));
      if (to && to !== from && !edges.has(to)) edges.set(to, `${relative(ROOT, file)} → ${spec}`);
    }
  }
  return graph;
}

/** Every elementary cycle's folders, found by depth-first search (the graph is small). */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  const found = new Map<string, string[]>();
  const nodes = [...graph.keys()].sort();
  const walk = (start: string, at: string, path: string[]): void => {
    for (const next of graph.get(at)?.keys() ?? []) {
      if (next === start) {
        const key = [...path].sort().join(',');
        if (!found.has(key)) found.set(key, [...path, start]);
      } else if (!path.includes(next) && next > start) {
        walk(start, next, [...path, next]);
      }
    }
  };
  for (const n of nodes) walk(n, n, [n]);
  return [...found.values()];
}

describe('shared/ folder imports', () => {
  it('form no runtime cycle', () => {
    const graph = folderGraph();
    // The graph is really read: the worker runs jobs, so that edge must be seen.
    expect(graph.get('worker')?.has('jobs')).toBe(true);
    const named = cycles(graph).map((c) =>
      c
        .slice(0, -1)
        .map((f, i) => `${f} → ${c[i + 1]} (${graph.get(f)?.get(c[i + 1] as string)})`)
        .join('\n  '),
    );
    expect(named, `runtime import cycles between shared/ folders:\n${named.join('\n\n')}`).toEqual([]);
  });

  it('the cycle search finds every cycle once, by its folders', () => {
    const graph = new Map([
      ['a', new Map([['b', '']])],
      [
        'b',
        new Map([
          ['c', ''],
          ['a', ''],
        ]),
      ],
      ['c', new Map([['a', '']])],
      ['d', new Map([['a', '']])],
    ]);
    expect(cycles(graph)).toEqual([
      ['a', 'b', 'c', 'a'],
      ['a', 'b', 'a'],
    ]);
  });

  it('the parser tells runtime imports from type-only ones', () => {
    const src = [
      "import type { A } from './a.ts';",
      "import { type B } from './b.ts';",
      "import { type C, d } from './c.ts';",
      "import e from './e.ts';",
      "export type { F } from './f.ts';",
      "export { g } from './g.ts';",
      "const h = await import('./h.ts');",
      "import './i.ts';",
    ].join('\n');
    expect(runtimeImports(src)).toEqual(['./c.ts', './e.ts', './g.ts', './h.ts', './i.ts']);
  });
});
