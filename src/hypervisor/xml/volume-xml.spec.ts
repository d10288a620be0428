import { buildVolumeXml } from './volume-xml.js';
import { VOLUME_NAME_PATTERN } from '../volumes.js';

describe('buildVolumeXml', () => {
  it('a directory volume: format dir, no capacity of its own, traversable', () => {
    expect(buildVolumeXml({ pool: 'p', name: 'data', kind: 'dir' })).toBe(
      `<volume type='dir'>
  <name>data</name>
  <capacity unit='bytes'>0</capacity>
  <target>
    <format type='dir'/>
    <permissions>
      <mode>0755</mode>
    </permissions>
  </target>
</volume>
`,
    );
  });

  it('a file volume: sparse, in the format asked for (raw by default)', () => {
    expect(buildVolumeXml({ pool: 'p', name: 'root.qcow2', kind: 'file', format: 'qcow2', capacityBytes: 1073741824 })).toBe(
      `<volume type='file'>
  <name>root.qcow2</name>
  <capacity unit='bytes'>1073741824</capacity>
  <allocation unit='bytes'>0</allocation>
  <target>
    <format type='qcow2'/>
  </target>
</volume>
`,
    );
    expect(buildVolumeXml({ pool: 'p', name: 'a.img', kind: 'file', capacityBytes: 1 })).toContain("<format type='raw'/>");
  });

  it("a qcow2 overlay names its backing volume and that volume's format (nothing probed)", () => {
    expect(
      buildVolumeXml({
        pool: 'p',
        name: 'root.qcow2',
        kind: 'file',
        format: 'qcow2',
        capacityBytes: 1073741824,
        backing: { path: '/p/img.raw', format: 'raw' },
      }),
    ).toBe(
      `<volume type='file'>
  <name>root.qcow2</name>
  <capacity unit='bytes'>1073741824</capacity>
  <allocation unit='bytes'>0</allocation>
  <target>
    <format type='qcow2'/>
  </target>
  <backingStore>
    <path>/p/img.raw</path>
    <format type='raw'/>
  </backingStore>
</volume>
`,
    );
  });

  it('escapes what it is given (validation keeps markup out of names before)', () => {
    expect(buildVolumeXml({ pool: 'p', name: 'a<b>&', kind: 'dir' })).toContain('<name>a&lt;b&gt;&amp;</name>');
  });
});

describe('VOLUME_NAME_PATTERN', () => {
  it.each(['a', 'disk.img', 'web-1_root.qcow2', '0', 'a'.repeat(63)])('accepts the plain file name %j', (name) => {
    expect(VOLUME_NAME_PATTERN.test(name)).toBe(true);
  });

  it.each(['', '.', '..', '../x', 'a/b', '/a', '.hidden', 'a..b', 'a\u0000b', 'A', 'a b', 'a\nb', 'a'.repeat(64), 'é'])(
    'refuses %j',
    (name) => {
      expect(VOLUME_NAME_PATTERN.test(name)).toBe(false);
    },
  );
});
