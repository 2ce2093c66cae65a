import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the wiring sits on top', () => {
  it('no domain folder of shared/ imports it (the wiring imports them, never the reverse)', () => {
    const offenders = tsFiles(join(ROOT, 'shared'))
      .filter((f) => !relative(join(ROOT, 'shared'), f).startsWith('wiring'))
      .filter((f) => /from '[^']*\/wiring\//.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });
});
