// The npm binding against real libvirt: the in-process test driver and a real libvirtd.
import * as libvirt from '@unraid/libvirt';
import { describeWithLibvirtd, disklessQemuXml, openLibvirtd, QEMU_URI, removeDomainQuietly, uniqueName } from './support/libvirtd.js';

const RUNNING = 1; // virDomainState VIR_DOMAIN_RUNNING
const SHUTOFF = 5; // VIR_DOMAIN_SHUTOFF

describe('@unraid/libvirt on test:///default', () => {
  let h: libvirt.Hypervisor;

  beforeAll(async () => {
    h = new libvirt.Hypervisor({ uri: 'test:///default' });
    await h.connectOpen();
  });

  afterAll(async () => {
    await h.connectClose();
  });

  it('defines, starts, reads info, destroys and undefines a domain', async () => {
    const name = uniqueName('vf-bind');
    try {
      const domain = await h.domainDefineXML(
        `<domain type='test'><name>${name}</name><memory unit='MiB'>256</memory><vcpu>2</vcpu><os><type arch='x86_64'>hvm</type></os></domain>`,
      );
      expect((await h.domainGetInfo(domain)).state).toBe(SHUTOFF);
      await h.domainCreate(domain);
      const info = await h.domainGetInfo(domain);
      expect(info.state).toBe(RUNNING);
      expect(info.nrVirtCpu).toBe(2);
      expect(info.maxMem).toBe(256 * 1024);
      await h.domainDestroy(domain);
      expect((await h.domainGetInfo(domain)).state).toBe(SHUTOFF);
      await h.domainUndefine(domain);
      await expect(h.domainLookupByName(name)).rejects.toThrow(/Domain not found/);
    } finally {
      await removeDomainQuietly(h, name);
    }
  });
});

describeWithLibvirtd('@unraid/libvirt on a real libvirtd (QEMU/TCG)', () => {
  let h: libvirt.Hypervisor;

  beforeAll(async () => {
    h = await openLibvirtd(QEMU_URI);
  });

  afterAll(async () => {
    await h?.connectClose();
  });

  it('runs a diskless guest: define, start, observe running, destroy, undefine', async () => {
    const name = uniqueName('vf-tcg');
    try {
      const domain = await h.domainDefineXML(disklessQemuXml(name));
      await h.domainCreate(domain);
      const info = await h.domainGetInfo(domain);
      expect(info.state).toBe(RUNNING);
      expect(info.nrVirtCpu).toBe(1);
      // A QEMU process really runs: it accumulates CPU time.
      const cpuBefore = info.cpuTime;
      await new Promise((r) => setTimeout(r, 300));
      expect((await h.domainGetInfo(domain)).cpuTime).toBeGreaterThan(cpuBefore);
      await h.domainDestroy(domain);
      expect((await h.domainGetInfo(domain)).state).toBe(SHUTOFF);
      await h.domainUndefine(domain);
      await expect(h.domainLookupByName(name)).rejects.toThrow(/Domain not found/);
    } finally {
      await removeDomainQuietly(h, name);
    }
  }, 60_000);
});
