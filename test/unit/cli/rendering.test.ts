import { describe, expect, it } from 'vitest';
import { ProgressBar, renderBar } from '../../../cli/progress-bar.ts';
import { renderFields, renderTable } from '../../../cli/table.ts';

describe('tables and progress bars', () => {
  it('aligns columns under upper-case headers and cuts long cells', () => {
    const out = renderTable(
      [
        { id: 'a', state: 'QUEUED', note: 'x'.repeat(80) },
        { id: 'bbbb', state: 'SUCCEEDED', note: { k: 1 } },
      ],
      ['id', 'state', 'note'],
      { maxWidth: 20 },
    );
    expect(out.split('\n')).toEqual([
      'ID    STATE      NOTE',
      `a     QUEUED     ${'x'.repeat(19)}…`,
      'bbbb  SUCCEEDED  {"k":1}',
      '',
    ]);
    expect(
      renderFields([
        ['state', 'QUEUED'],
        ['skipped', undefined],
        ['n', 3],
      ]),
    ).toBe('state: QUEUED\nn:     3\n');
  });

  it('draws a bar, once per change, in place on a terminal', () => {
    expect(renderBar(0.5, 10, 'half')).toBe('[#####.....]  50% half');
    expect(renderBar(7, 4, 'x')).toBe('[####] 100% x');
    const lines: string[] = [];
    const bar = new ProgressBar((t) => lines.push(t), false, 4);
    bar.update(0.25, 'a');
    bar.update(0.25, 'a');
    bar.done('done');
    expect(lines).toEqual(['[#...]  25% a\n', '[####] 100% done\n']);
    const tty: string[] = [];
    new ProgressBar((t) => tty.push(t), true, 4).update(0, 'x');
    expect(tty[0]?.startsWith(`\r${String.fromCharCode(27)}[2K[....]`)).toBe(true);
  });
});
