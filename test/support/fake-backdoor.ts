// The driver contract's backdoor (support/driver-contract.ts) into fake hosts: what an operator
// would do to a real host, done to the fake fleet's state.
import type { FakeFleet } from '../../src/hypervisor/fake/fake-fleet.js';
import type { HostBackdoor } from './driver-contract.js';

const SHARED_ROOT = "<filesystem type='mount' accessmode='passthrough'><source dir='/'/><target dir='/host'/></filesystem>";

export function fakeBackdoor(fleet: FakeFleet): HostBackdoor {
  return {
    definitionOn: async (host, instanceId) => fleet.definitionOf(host, instanceId),
    // An operator's edit puts the element in directly (a fake host has no libvirt to unescape <initenv>).
    shareHostRoot: async (host, spec) =>
      fleet.rewriteDefinition(host, spec.instanceId, (xml) =>
        xml.includes('</devices>')
          ? xml.replace('</devices>', `${SHARED_ROOT}</devices>`)
          : xml.replace('</domain>', `<devices>${SHARED_ROOT}</devices></domain>`),
      ),
    domainId: async (host, instanceId) => fleet.domainIdOf(host, instanceId),
    breakNextBoot: async (host, spec) => fleet.breakNextBoot(host, spec.instanceId),
  };
}
