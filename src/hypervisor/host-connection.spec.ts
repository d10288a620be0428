import { ValidationError } from '../common/domain-errors.js';
import {
  assertWellFormedHostUri,
  buildHostUri,
  checkHostConnection,
  type ConnectionPolicy,
  connectionOfStoredUri,
  type HostConnection,
  hostConnectionFromUri,
  parseHostUri,
} from './host-connection.js';

const policy: ConnectionPolicy = {
  socketDirs: ['/run/libvirt', '/run/virtfleet-libvirtd/run'],
  simulatedHostsDir: '/tmp',
  ssh: { user: null, keyfile: null, knownHosts: null },
};
const sshPolicy: ConnectionPolicy = {
  ...policy,
  ssh: { user: 'virtfleet', keyfile: '/etc/virtfleet/id_ed25519', knownHosts: '/etc/virtfleet/known_hosts' },
};

const refused = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  throw new Error('expected a ValidationError');
};

describe('host connections: structured fields to URI', () => {
  it.each<[HostConnection, string]>([
    [{ driver: 'qemu', transport: 'local' }, 'qemu:///system'],
    [{ driver: 'qemu', transport: 'local', scope: 'session' }, 'qemu:///session'],
    [
      { driver: 'qemu', transport: 'unix', socket: '/run/virtfleet-libvirtd/run/libvirt-sock' },
      'qemu+unix:///system?socket=/run/virtfleet-libvirtd/run/libvirt-sock',
    ],
    [
      { driver: 'lxc', transport: 'unix', socket: '/run/virtfleet-libvirtd/run/libvirt-sock' },
      'lxc+unix:///system?socket=/run/virtfleet-libvirtd/run/libvirt-sock',
    ],
    [{ driver: 'lxc', transport: 'unix' }, 'lxc+unix:///system'],
    [{ driver: 'qemu', transport: 'tcp', hostname: '10.77.0.11' }, 'qemu+tcp://10.77.0.11/system'],
    [{ driver: 'qemu', transport: 'tcp', hostname: '127.0.0.1', port: 1 }, 'qemu+tcp://127.0.0.1:1/system'],
    [
      { driver: 'xen', transport: 'tls', hostname: 'node7.rack1.example.org', port: 16514 },
      'xen+tls://node7.rack1.example.org:16514/system',
    ],
    [{ driver: 'libxl', transport: 'ssh', hostname: 'xen-1' }, 'libxl+ssh://xen-1/system'],
    [{ driver: 'qemu', transport: 'tcp', hostname: '::1' }, 'qemu+tcp://[::1]/system'],
    [{ driver: 'qemu', transport: 'tls', hostname: 'fd00:77::11', port: 16514 }, 'qemu+tls://[fd00:77::11]:16514/system'],
    [{ driver: 'test', transport: 'local' }, 'test:///default'],
    [{ driver: 'test', transport: 'local', suite: 'r1abc' }, 'test:///default?suite=r1abc'],
    [
      { driver: 'test', transport: 'local', nodeFile: '/tmp/virtfleet-simhosts-12/host1-ab12cd.xml' },
      'test:///tmp/virtfleet-simhosts-12/host1-ab12cd.xml',
    ],
  ])('%j is %s, and that URI is accepted back as the same fields', (connection, uri) => {
    expect(buildHostUri(connection, policy)).toBe(uri);
    expect(buildHostUri(hostConnectionFromUri(uri, policy), policy)).toBe(uri);
    expect(connectionOfStoredUri(uri)).toEqual(checkHostConnection(connection, policy));
  });

  it('takes the ssh user, key and known_hosts from the server configuration only', () => {
    const uri = buildHostUri({ driver: 'qemu', transport: 'ssh', hostname: 'node1', port: 2222 }, sshPolicy);
    expect(uri).toBe('qemu+ssh://virtfleet@node1:2222/system?keyfile=/etc/virtfleet/id_ed25519&known_hosts=/etc/virtfleet/known_hosts');
    expect(hostConnectionFromUri(uri, sshPolicy)).toEqual({
      driver: 'qemu',
      transport: 'ssh',
      hostname: 'node1',
      port: 2222,
      scope: 'system',
    });
    // The same URI under another configuration names a key the server did not choose.
    expect(refused(() => hostConnectionFromUri(uri, policy))).toMatch(/server configuration/);
    expect(refused(() => hostConnectionFromUri('qemu+ssh://root@node1/system', policy))).toMatch(/server configuration/);
    expect(refused(() => hostConnectionFromUri('qemu+ssh://node1/system?keyfile=/root/.ssh/id_rsa', policy))).toMatch(
      /server configuration/,
    );
    // ssh settings never leak into other transports.
    expect(buildHostUri({ driver: 'qemu', transport: 'tcp', hostname: 'node1' }, sshPolicy)).toBe('qemu+tcp://node1/system');
  });
});

describe('host connections: field allow-lists', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'socket outside the allowed directories',
      { driver: 'qemu', transport: 'unix', socket: '/home/user/evil.sock' },
      /socket must lie under/,
    ],
    ['socket equal to an allowed directory', { driver: 'qemu', transport: 'unix', socket: '/run/libvirt' }, /socket must lie under/],
    [
      'socket in a sibling with the same prefix',
      { driver: 'qemu', transport: 'unix', socket: '/run/libvirt-evil/sock' },
      /socket must lie under/,
    ],
    ['socket with ..', { driver: 'qemu', transport: 'unix', socket: '/run/libvirt/../../tmp/sock' }, /normalised absolute path/],
    [
      'socket with a query separator',
      { driver: 'qemu', transport: 'unix', socket: '/run/libvirt/x;command=/tmp/evil' },
      /normalised absolute path/,
    ],
    ['socket with &', { driver: 'qemu', transport: 'unix', socket: '/run/libvirt/x&command=/tmp/evil' }, /normalised absolute path/],
    ['socket with ?', { driver: 'qemu', transport: 'unix', socket: '/run/libvirt/x?&command=/tmp/evil' }, /normalised absolute path/],
    ['socket with #', { driver: 'qemu', transport: 'unix', socket: '/run/libvirt/x#frag' }, /normalised absolute path/],
    [
      'socket percent-encoded',
      { driver: 'qemu', transport: 'unix', socket: '/run/libvirt/x%3Bcommand=%2Ftmp%2Fevil' },
      /normalised absolute path/,
    ],
    ['socket with //', { driver: 'qemu', transport: 'unix', socket: '/run/libvirt//sock' }, /normalised absolute path/],
    ['socket with a trailing slash', { driver: 'qemu', transport: 'unix', socket: '/run/libvirt/sock/' }, /normalised absolute path/],
    ['relative socket', { driver: 'qemu', transport: 'unix', socket: 'run/libvirt/sock' }, /absolute path/],
    ['socket longer than sun_path', { driver: 'qemu', transport: 'unix', socket: `/run/libvirt/${'s'.repeat(100)}` }, /longer than 107/],
    [
      'socket on tcp',
      { driver: 'qemu', transport: 'tcp', hostname: 'h1', socket: '/run/libvirt/sock' },
      /socket is only for the unix transport/,
    ],
    ['hostname on local', { driver: 'qemu', transport: 'local', hostname: 'h1' }, /hostname is only for/],
    ['hostname missing on tcp', { driver: 'qemu', transport: 'tcp' }, /hostname is required/],
    ['hostname with a query', { driver: 'qemu', transport: 'ssh', hostname: 'h1/system?command=/tmp/evil' }, /must be a DNS name/],
    ['hostname with ;', { driver: 'qemu', transport: 'ssh', hostname: 'h1;command=x' }, /must be a DNS name/],
    ['hostname with user info', { driver: 'qemu', transport: 'ssh', hostname: 'root@h1' }, /must be a DNS name/],
    ['hostname that is an ssh option', { driver: 'qemu', transport: 'ssh', hostname: '-oProxyCommand=touch' }, /must be a DNS name/],
    ['hostname with a space', { driver: 'qemu', transport: 'tcp', hostname: 'h 1' }, /must be a DNS name/],
    ['hostname with a control character', { driver: 'qemu', transport: 'tcp', hostname: 'h1\n' }, /must be a DNS name/],
    ['hostname in unicode', { driver: 'qemu', transport: 'tcp', hostname: 'hóst.example' }, /must be a DNS name/],
    ['hostname in upper case', { driver: 'qemu', transport: 'tcp', hostname: 'Node1' }, /must be a DNS name/],
    ['hostname with a leading dash label', { driver: 'qemu', transport: 'tcp', hostname: 'a.-b' }, /must be a DNS name/],
    ['hostname with an empty label', { driver: 'qemu', transport: 'tcp', hostname: 'a..b' }, /must be a DNS name/],
    ['IPv4 with leading zeros', { driver: 'qemu', transport: 'tcp', hostname: '010.0.0.1' }, /dotted-quad/],
    ['IPv4 out of range', { driver: 'qemu', transport: 'tcp', hostname: '10.0.0.256' }, /dotted-quad/],
    ['decimal IPv4', { driver: 'qemu', transport: 'tcp', hostname: '2130706433' }, /dotted-quad/],
    ['IPv6 with a zone id', { driver: 'qemu', transport: 'tcp', hostname: 'fe80::1%25eth0' }, /IPv6/],
    ['IPv6 in brackets', { driver: 'qemu', transport: 'tcp', hostname: '[::1]' }, /IPv6/],
    ['IPv6 in upper case', { driver: 'qemu', transport: 'tcp', hostname: 'FD00::1' }, /IPv6/],
    ['not IPv6', { driver: 'qemu', transport: 'tcp', hostname: '1:2:3' }, /IPv6/],
    ['port 0', { driver: 'qemu', transport: 'tcp', hostname: 'h1', port: 0 }, /port must be/],
    ['port 65536', { driver: 'qemu', transport: 'tcp', hostname: 'h1', port: 65536 }, /port must be/],
    ['fractional port', { driver: 'qemu', transport: 'tcp', hostname: 'h1', port: 1.5 }, /port must be/],
    ['port on unix', { driver: 'qemu', transport: 'unix', port: 22 }, /port is only for/],
    ['unknown driver', { driver: 'vbox', transport: 'local' }, /driver must be/],
    ['unknown transport (ext runs a command)', { driver: 'qemu', transport: 'ext' }, /transport must be/],
    ['libssh transport', { driver: 'qemu', transport: 'libssh2', hostname: 'h1' }, /transport must be/],
    ['session scope for lxc', { driver: 'lxc', transport: 'local', scope: 'session' }, /no session daemon/],
    ['unknown scope', { driver: 'qemu', transport: 'local', scope: 'embed' }, /scope must be/],
    ['test driver over tcp', { driver: 'test', transport: 'tcp', hostname: 'h1' }, /transport is 'local'/],
    ['test node file outside the directory', { driver: 'test', transport: 'local', nodeFile: '/etc/shadow' }, /simulated hosts must be/],
    ['test node file with ..', { driver: 'test', transport: 'local', nodeFile: '/tmp/../etc/shadow' }, /normalised absolute path/],
    ['suite with a separator', { driver: 'test', transport: 'local', suite: 'a&command=x' }, /suite must be/],
    [
      'suite on a node file',
      { driver: 'test', transport: 'local', nodeFile: '/tmp/h.xml', suite: 'a' },
      /suite is only for test:\/\/\/default/,
    ],
    ['nodeFile on qemu', { driver: 'qemu', transport: 'local', nodeFile: '/tmp/h.xml' }, /nodeFile is only for the test driver/],
    ['a field the builder does not know', { driver: 'qemu', transport: 'local', command: '/tmp/evil' }, /no field command/],
  ])('refuses %s', (_what, connection, message) => {
    expect(refused(() => buildHostUri(connection as unknown as HostConnection, policy))).toMatch(message);
  });

  it('allows no socket at all when no socket directory is configured', () => {
    expect(
      refused(() =>
        buildHostUri({ driver: 'qemu', transport: 'unix', socket: '/run/libvirt/libvirt-sock' }, { ...policy, socketDirs: [] }),
      ),
    ).toMatch(/HOST_SOCKET_DIRS is empty/);
  });

  it('allows only test:///default when no simulated-hosts directory is configured', () => {
    const none = { ...policy, simulatedHostsDir: null };
    expect(buildHostUri({ driver: 'test', transport: 'local' }, none)).toBe('test:///default');
    expect(refused(() => buildHostUri({ driver: 'test', transport: 'local', nodeFile: '/tmp/h.xml' }, none))).toMatch(
      /SIMULATED_HOSTS_DIR is not set/,
    );
  });
});

// Every query parameter libvirt's remote driver (and its client) understands.
const LIBVIRT_PARAMS = [
  'command',
  'netcat',
  'socket',
  'keyfile',
  'known_hosts',
  'known_hosts_verify',
  'pkipath',
  'no_verify',
  'no_tty',
  'name',
  'mode',
  'proxy',
  'sshauth',
  'tls_priority',
  'auth',
  'authfile',
  'tls',
  'transport',
  'libvirtd',
];
const SCRIPT = '/tmp/vf-evil.sh';
const BASES = ['qemu+ssh://127.0.0.1/system', 'qemu+unix:///system', 'qemu+tcp://10.77.0.11/system', 'lxc:///system', 'test:///default'];

/** Ways of appending `param=value` after a legitimate first parameter (or none). */
function smuggled(base: string, param: string): string[] {
  const v = param === 'socket' ? '/run/libvirt/other-sock' : SCRIPT;
  const first = base.startsWith('qemu+unix') ? 'socket=/run/libvirt/libvirt-sock' : base.startsWith('test') ? 'suite=a' : null;
  const lead = first ? `${base}?${first}` : base;
  const sep = first ? '' : '?';
  return [
    `${base}?${param}=${v}`,
    `${lead}${sep}&${param}=${v}`,
    `${lead}${sep};${param}=${v}`,
    `${lead}?${param}=${v}`,
    `${lead}?&${param}=${v}`,
    `${lead}%26${param}=${v}`,
    `${lead}%3B${param}=${v}`,
    `${lead}%3b${param}=${v}`,
    `${lead}%3F${param}=${v}`,
    `${lead}%253B${param}=${v}`,
    `${lead}%2526${param}=${v}`,
    `${base}?${param.toUpperCase()}=${v}`,
    `${base}?%${Buffer.from(param[0]!).toString('hex')}${param.slice(1)}=${v}`,
    `${lead}${sep}&${param}=${encodeURIComponent(v)}`,
    `${base}#?${param}=${v}`,
    `${base}?${param}=${v}#x`,
  ];
}

describe('host URIs: nothing but the built form reaches libvirt', () => {
  const attacks = [
    `qemu+ssh://127.0.0.1/system?socket=/run/x;command=${SCRIPT}`,
    `qemu+ssh://127.0.0.1/system?socket=/run/x?&command=${SCRIPT}`,
    `qemu+unix:///system?socket=/run/libvirt/x;command=${SCRIPT}`,
    `qemu+unix:///system?socket=/run/libvirt/x?&command=${SCRIPT}`,
    ...BASES.flatMap((base) => LIBVIRT_PARAMS.flatMap((p) => smuggled(base, p))),
  ].filter(
    (uri) =>
      ![
        // The three that are virtfleet's own grammar: an allowed socket, and the ssh settings
        // (refused from clients because they differ from the server's, see above).
        'qemu+unix:///system?socket=/run/libvirt/other-sock',
        `qemu+ssh://127.0.0.1/system?keyfile=${SCRIPT}`,
        `qemu+ssh://127.0.0.1/system?known_hosts=${SCRIPT}`,
      ].includes(uri),
  );

  it.each(attacks)('refuses %s', (uri) => {
    expect(refused(() => hostConnectionFromUri(uri, policy))).toMatch(/not a host URI virtfleet builds/);
    expect(refused(() => assertWellFormedHostUri(uri))).toMatch(/not a host URI virtfleet builds/);
  });

  it.each([
    ['upper-case scheme', 'QEMU+TCP://10.77.0.11/system'],
    ['upper-case host', 'qemu+tcp://NODE1/system'],
    ['user info on tcp', 'qemu+tcp://root@10.77.0.11/system'],
    ['user info with a password', 'qemu+ssh://root:pw@10.77.0.11/system'],
    ['percent-encoded host', 'qemu+tcp://10.77.0.%31%31/system'],
    ['encoded path', 'qemu+tcp://10.77.0.11/%73ystem'],
    ['a fragment', 'qemu+tcp://10.77.0.11/system#frag'],
    ['an empty query', 'qemu+tcp://10.77.0.11/system?'],
    ['space in the host', 'qemu+tcp://10.77.0.11 /system'],
    ['newline', 'qemu+tcp://10.77.0.11/system\n'],
    ['NUL', 'qemu+tcp://10.77.0.11/system\u0000?command=/tmp/evil'],
    ['unicode host', 'qemu+tcp://nöde1/system'],
    ['IPv6 with a zone id', 'qemu+tcp://[fe80::1%25eth0]/system'],
    ['IPv6 without brackets', 'qemu+tcp://::1/system'],
    ['unbracketed port confusion', 'qemu+tcp://[::1]:0/system'],
    ['port with leading zeros', 'qemu+tcp://10.77.0.11:016509/system'],
    ['empty port', 'qemu+tcp://10.77.0.11:/system'],
    ['port out of range', 'qemu+tcp://10.77.0.11:70000/system'],
    ['another path', 'qemu+tcp://10.77.0.11/embed'],
    ['a longer path', 'qemu+tcp://10.77.0.11/system/x'],
    ['trailing slash', 'qemu:///system/'],
    ['the ext transport', `qemu+ext:///system?command=${SCRIPT}`],
    ['libssh2', 'qemu+libssh2://10.77.0.11/system'],
    ['the vbox driver', 'vbox:///session'],
    ['host on a local URI', 'qemu://10.77.0.11/system'],
    ['session for lxc', 'lxc:///session'],
    ['test driver remote', 'test+tcp://10.77.0.11/default'],
    ['test driver file with ..', 'test:///tmp/../etc/shadow'],
    ['repeated socket', 'qemu+unix:///system?socket=/run/libvirt/a&socket=/run/libvirt/b'],
    ['socket with ..', 'qemu+unix:///system?socket=/run/libvirt/../../home/u/s'],
    ['socket with a trailing &', 'qemu+unix:///system?socket=/run/libvirt/a&'],
    ['parameter without a value', 'qemu+unix:///system?socket'],
  ])('refuses %s', (_what, uri) => {
    expect(refused(() => hostConnectionFromUri(uri, policy))).toMatch(/not a host URI virtfleet builds|host connection refused/);
  });

  it('refuses a URI whose fields are fine but which is not written the way virtfleet writes it', () => {
    expect(refused(() => hostConnectionFromUri('test:///tmp/a/./b.xml', policy))).toMatch(/not a host URI/);
    expect(refused(() => parseHostUri('qemu+unix:///system?suite=a'))).toMatch(/suite is only for the test driver/);
  });

  it('applies the allow-lists to URIs as well as to fields', () => {
    expect(refused(() => hostConnectionFromUri('qemu+unix:///system?socket=/home/user/evil.sock', policy))).toMatch(
      /socket must lie under/,
    );
    expect(refused(() => hostConnectionFromUri('test:///etc/shadow', policy))).toMatch(/simulated hosts must be/);
    // The libvirt layer's own check knows no configuration, but still only the built grammar.
    expect(() => assertWellFormedHostUri('test:///etc/shadow')).not.toThrow();
  });

  it('gives null, not an error, for a stored URI in an older form', () => {
    expect(connectionOfStoredUri('qemu+tcp://127.0.0.1:1/system?name=x')).toBeNull();
  });
});
