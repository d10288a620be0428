import { hostTraitsOf } from './host-endpoints.js';
import { RESERVED_TRAIT } from './dto/host.dto.js';

describe('hostTraitsOf', () => {
  const qemu = ['cap:live-migrate', 'driver:qemu-kvm', 'guest:hvm'];
  const lxc = ['cap:cold-migrate', 'driver:lxc', 'guest:container'];

  it("is the union of the endpoints' capability traits plus the operator's own", () => {
    expect(hostTraitsOf(['driver:qemu-kvm', 'guest:hvm', 'ssd'], [qemu, lxc], RESERVED_TRAIT)).toEqual([
      'cap:cold-migrate',
      'cap:live-migrate',
      'driver:lxc',
      'driver:qemu-kvm',
      'guest:container',
      'guest:hvm',
      'ssd',
    ]);
  });

  it("drops what a removed endpoint gave, keeps the operator's traits", () => {
    const both = hostTraitsOf(['ssd'], [qemu, lxc], RESERVED_TRAIT);
    expect(hostTraitsOf(both, [qemu], RESERVED_TRAIT)).toEqual([...qemu, 'ssd'].sort());
  });

  it('keeps sim only while an endpoint gives it', () => {
    expect(hostTraitsOf(['sim'], [[...qemu, 'sim']], RESERVED_TRAIT)).toContain('sim');
    expect(hostTraitsOf(['sim'], [qemu], RESERVED_TRAIT)).not.toContain('sim');
  });
});
