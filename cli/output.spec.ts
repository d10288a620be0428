import { bar, table, toYaml, visibleWidth } from './output.js';

describe('CLI output', () => {
  it('draws bars of ten cells with the percentage, full beyond 100 %', () => {
    expect(bar(0)).toBe('░░░░░░░░░░   0%');
    expect(bar(0.42)).toBe('████░░░░░░  42%');
    expect(bar(1.2)).toBe('██████████ 120%');
  });

  it('aligns columns by visible width (colour codes take no room)', () => {
    const text = table(
      ['NAME', 'STATE'],
      [
        ['\u001b[32mlv1\u001b[39m', 'ok'],
        ['lv-long', 'x'],
      ],
    );
    const [head, first, second] = text.split('\n');
    expect(head).toBe('NAME     STATE');
    expect(visibleWidth(first!)).toBe('lv1      ok'.length);
    expect(second).toBe('lv-long  x');
  });

  it('writes YAML that quotes what would read as another type', () => {
    expect(
      toYaml({
        name: 'web-1',
        id: '0a1b',
        enabled: 'true',
        count: 3,
        on: 1,
        none: null,
        labels: {},
        tags: [],
        nested: { a: ['x', { b: 1 }] },
      }),
    ).toBe(
      [
        'name: web-1',
        'id: "0a1b"',
        'enabled: "true"',
        'count: 3',
        '"on": 1',
        'none: null',
        'labels: {}',
        'tags: []',
        'nested:',
        '  a:',
        '    - x',
        '    - b: 1',
      ].join('\n'),
    );
  });
});
