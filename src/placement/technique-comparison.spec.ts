import { OverheadCharges } from '../overhead/overhead-charges.js';
import { MEASURED_DEFAULTS } from '../overhead/measured-defaults.js';
import type { OverheadCalibration } from '../overhead/overhead-model.js';
import { compareTechniques, guestsThatFitOn } from './technique-comparison.js';
import { testHost, testRequest } from '../../test/fixtures/placement-hosts.js';

/** VMs cost 64 MiB each, containers 16 MiB, Xen 0 (round numbers, not the measured ones). */
const calibration: OverheadCalibration = {
  ...MEASURED_DEFAULTS,
  techniques: {
    ...MEASURED_DEFAULTS.techniques,
    'qemu-kvm': { ...MEASURED_DEFAULTS.techniques['qemu-kvm'], memory: { fixedMiB: 64, perVcpuMiB: 0, perGuestMiB: 0 } },
    lxc: { ...MEASURED_DEFAULTS.techniques.lxc, memory: { fixedMiB: 16, perVcpuMiB: 0, perGuestMiB: 0 } },
    xen: { ...MEASURED_DEFAULTS.techniques.xen, memory: { fixedMiB: 0, perVcpuMiB: 0, perGuestMiB: 0 } },
  },
};
const charges = new OverheadCharges(calibration);

describe('guestsThatFitOn', () => {
  it('counts the guests the tightest dimension still takes, after claims and foreign guests', () => {
    const host = testHost('h', {
      physical: { vcpus: 16, memoryMiB: 4096, diskGiB: 100 },
      used: { vcpus: 2, memoryMiB: 1024, diskGiB: 0 },
      foreign: { vcpus: 0, memoryMiB: 512, diskGiB: 0 },
    });
    expect(guestsThatFitOn(host, { vcpus: 1, memoryMiB: 512, diskGiB: 0 })).toBe(5); // 2560 MiB left
    expect(guestsThatFitOn(host, { vcpus: 4, memoryMiB: 128, diskGiB: 0 })).toBe(3); // 14 vCPUs left
  });

  it('is 0 on a host already over what it can hand out', () => {
    const host = testHost('h', { physical: { vcpus: 4, memoryMiB: 1024, diskGiB: 0 }, used: { vcpus: 8, memoryMiB: 0, diskGiB: 0 } });
    expect(guestsThatFitOn(host, { vcpus: 1, memoryMiB: 64, diskGiB: 0 })).toBe(0);
  });
});

describe('compareTechniques', () => {
  const hosts = [
    testHost('vm', { driverKind: 'qemu-kvm', physical: { vcpus: 64, memoryMiB: 1024, diskGiB: 100 } }),
    testHost('ct', { driverKind: 'lxc', physical: { vcpus: 64, memoryMiB: 1024, diskGiB: 100 } }),
  ];
  const request = testRequest({ resources: { vcpus: 1, memoryMiB: 112, diskGiB: 0 } });

  it("ranks the request once per driver, on that driver's hosts, charged that driver's overhead", () => {
    const [asVm, asContainer] = compareTechniques(hosts, request, ['qemu-kvm', 'lxc'], charges, { weigher: 'pack' });
    expect(asVm).toMatchObject({
      driverKind: 'qemu-kvm',
      guestType: 'hvm',
      overheadMiB: 64,
      charged: { memoryMiB: 176 },
      guestsThatFit: 5,
    });
    expect(asVm!.decision.chosen).toBe('vm');
    expect(asContainer).toMatchObject({
      driverKind: 'lxc',
      guestType: 'container',
      overheadMiB: 16,
      charged: { memoryMiB: 128 },
      guestsThatFit: 8,
    });
    expect(asContainer!.decision.chosen).toBe('ct');
  });

  it('says so when no host runs a driver', () => {
    const [asXen] = compareTechniques(hosts, request, ['xen'], charges, { weigher: 'pack' });
    expect(asXen).toMatchObject({ driverKind: 'xen', guestType: 'xen-pvh', guestsThatFit: 0 });
    expect(asXen!.decision.chosen).toBeNull();
  });
});
