// Golden-file tests: each fixture spec must build byte-for-byte into golden/<variant>.xml, and
// every golden file must pass libvirt's own schema check (virt-xml-validate).
//
// After an intended change to the output, regenerate the files and review the diff:
//   UPDATE_GOLDEN=1 NODE_OPTIONS=--experimental-vm-modules npx jest src/hypervisor/xml/build-domain-xml
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDomainXml } from './build-domain-xml.js';
import type { DomainSpec } from './domain-spec.js';
import { FIXTURE_SPECS } from '../../../test/fixtures/domain-specs.js';

const goldenDir = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const updateGolden = process.env.UPDATE_GOLDEN === '1';
const variants = Object.keys(FIXTURE_SPECS);

/** Runs virt-xml-validate; a missing tool fails the test with a clear message, it never skips. */
function virtXmlValidate(file: string): { ok: boolean; output: string } {
  const run = spawnSync('virt-xml-validate', [file, 'domain'], { encoding: 'utf8' });
  if (run.error) {
    const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? 'virt-xml-validate is not installed (Debian: apt-get install libvirt-clients); the schema check cannot be skipped'
        : `virt-xml-validate could not be run: ${run.error.message}`,
    );
  }
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}`.trim() };
}

describe('buildDomainXml golden files', () => {
  it.each(variants)('%s matches its golden file', (variant) => {
    const xml = buildDomainXml(FIXTURE_SPECS[variant]);
    const file = join(goldenDir, `${variant}.xml`);
    if (updateGolden) writeFileSync(file, xml);
    expect(xml).toBe(readFileSync(file, 'utf8'));
  });

  it('has no golden file without a fixture (stale files would go unchecked)', () => {
    const files = readdirSync(goldenDir)
      .filter((f) => f.endsWith('.xml'))
      .map((f) => f.slice(0, -4))
      .sort();
    expect(files).toEqual([...variants].sort());
  });

  it('is deterministic: label and env order in the input do not change the bytes', () => {
    const spec = FIXTURE_SPECS['lxc-rootfs-limits'] as Extract<DomainSpec, { guestType: 'container' }>;
    const reordered: DomainSpec = {
      ...spec,
      labels: Object.fromEntries(Object.entries({ ...spec.labels, zeta: '1', alpha: '2' }).reverse()),
      env: Object.fromEntries(Object.entries(spec.env ?? {}).reverse()),
    };
    const again: DomainSpec = { ...spec, labels: { alpha: '2', ...spec.labels, zeta: '1' } };
    expect(buildDomainXml(reordered)).toBe(buildDomainXml(again));
    expect(buildDomainXml(spec)).toBe(buildDomainXml({ ...spec }));
  });
});

describe('virt-xml-validate (libvirt domain schema)', () => {
  it.each(variants)('accepts golden/%s.xml', (variant) => {
    const result = virtXmlValidate(join(goldenDir, `${variant}.xml`));
    expect(result).toEqual({ ok: true, output: expect.stringContaining('validates') });
  });

  it('rejects a deliberately broken document, so the check above can fail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vf-xml-'));
    try {
      const broken = join(dir, 'broken.xml');
      const good = readFileSync(join(goldenDir, 'xen-pv-kernel.xml'), 'utf8');
      writeFileSync(broken, good.replace('<vcpu>1</vcpu>', '<vcpu>1</vcpu><notanelement/>').replace('>xen</type>', '>xenbogus</type>'));
      const result = virtXmlValidate(broken);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/fails to validate|Relax-NG validity error/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
