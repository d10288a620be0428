// parseCapabilitiesXml's host identity, on the shapes libvirt writes.
import { parseCapabilitiesXml } from './parse-capabilities.js';

describe('parseCapabilitiesXml host uuid', () => {
  it('reads <host><uuid> (what libvirtd reports for the machine, for every driver)', () => {
    const xml = `<capabilities><host><uuid>8c6b6a1e-0000-4000-8000-000000000001</uuid><cpu><arch>x86_64</arch></cpu></host>
      <guest><os_type>hvm</os_type><arch name='x86_64'><domain type='qemu'/></arch></guest></capabilities>`;
    expect(parseCapabilitiesXml(xml)).toMatchObject({ hostUuid: '8c6b6a1e-0000-4000-8000-000000000001' });
  });

  it('is null where libvirt reports none (the test driver)', () => {
    expect(parseCapabilitiesXml('<capabilities><host><cpu><arch>i686</arch></cpu></host></capabilities>').hostUuid).toBeNull();
  });
});
