import { machineIdOf } from './host-identity.js';

const clues = {
  uri: 'qemu+tcp://10.77.0.11/system',
  simulated: false,
  hostUuid: '8C6B6A1E-0000-4000-8000-000000000001',
  hostname: 'vfhost1',
};

describe('machineIdOf', () => {
  it('is the host UUID libvirt reports, whatever URI reached it', () => {
    const byTcp = machineIdOf(clues);
    expect(byTcp).toBe('uuid:8c6b6a1e-0000-4000-8000-000000000001');
    expect(machineIdOf({ ...clues, uri: 'qemu+unix:///system?socket=/run/h1/libvirt-sock' })).toBe(byTcp);
    expect(machineIdOf({ ...clues, uri: 'lxc+tcp://10.77.0.11/', hostUuid: '8c6b6a1e000040008000000000000001' })).toBe(byTcp);
  });

  it('falls back to the hostname when no usable UUID is reported', () => {
    expect(machineIdOf({ ...clues, hostUuid: null })).toBe('hostname:vfhost1');
    expect(machineIdOf({ ...clues, hostUuid: '00000000-0000-0000-0000-000000000000', hostname: 'Node7.example.' })).toBe(
      'hostname:node7.example',
    );
    expect(machineIdOf({ ...clues, hostUuid: 'ffffffff-ffff-ffff-ffff-ffffffffffff' })).toBe('hostname:vfhost1');
    expect(machineIdOf({ ...clues, hostUuid: 'not-a-uuid' })).toBe('hostname:vfhost1');
  });

  it('uses the URI when neither identifies the machine', () => {
    expect(machineIdOf({ ...clues, hostUuid: null, hostname: 'localhost' })).toBe('uri:qemu+tcp://10.77.0.11/system');
  });

  it('keeps each simulated host (test driver URI) its own machine, though they all report the same hostname', () => {
    const a = machineIdOf({ uri: 'test:///tmp/sim/host1.xml', simulated: true, hostUuid: null, hostname: 'vm' });
    const b = machineIdOf({ uri: 'test:///tmp/sim/host2.xml', simulated: true, hostUuid: null, hostname: 'vm' });
    expect(a).toBe('simulated:test:///tmp/sim/host1.xml');
    expect(a).not.toBe(b);
    // A link to a node file reaches the same simulated host: the driver passes the real path.
    expect(
      machineIdOf({ uri: 'test:///tmp/sim/link.xml', simulated: true, hostUuid: null, hostname: 'vm', nodeFile: '/tmp/sim/host1.xml' }),
    ).toBe(a);
    expect(machineIdOf({ uri: 'test:///default?suite=x', simulated: true, hostUuid: null, hostname: 'vm' })).toBe(
      'simulated:test:///default?suite=x',
    );
  });
});
