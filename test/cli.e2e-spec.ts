// The `virtfleet` command line as an operator runs it: the real binary as a child process
// against the real API (PostgreSQL, simulated libvirt hosts; two real libvirtd hosts for the
// live migration with progress). Output, exit codes, name lookup, login file, progress.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { INestApplication } from '@nestjs/common';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { assertCliBuilt, type CliRun, runCli } from './support/cli.js';
import { describeWithLibvirtd } from './support/libvirtd.js';
import { LVHOST_URIS } from './support/lvhosts.js';
import { simulatedHostUri } from './support/simulated-hosts.js';
import { startTestApp } from './support/test-app.js';

const tag = `cli${process.pid.toString(36)}${Date.now().toString(36)}`;
const newKey = () => `vf_${randomBytes(32).toString('base64url')}`;

describe('virtfleet CLI', () => {
  let app: INestApplication;
  let baseUrl = '';
  let configDir = '';
  const adminKey = newKey();
  /** Connection by environment, as a script would have it. */
  let env: Record<string, string> = {};
  const cli = (args: string[], run: CliRun = {}) => runCli(args, { ...run, env: { ...env, ...run.env } });
  const json = async (args: string[]) => {
    const r = await cli([...args, '-o', 'json']);
    if (r.code !== 0) throw new Error(`virtfleet ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const host = (n: string) => `${tag}-${n}`;

  beforeAll(async () => {
    assertCliBuilt();
    app = await startTestApp({ API_KEYS_REQUIRED: 'true' });
    await app.get(PrismaService).apiKey.create({
      data: {
        name: `${tag}-admin`,
        role: 'admin',
        secretHash: createHash('sha256').update(adminKey).digest('hex'),
        prefix: adminKey.slice(0, 10),
        createdBy: 'test',
      },
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    configDir = mkdtempSync(path.join(tmpdir(), 'virtfleet-cli-'));
    env = { VIRTFLEET_URL: baseUrl, VIRTFLEET_API_KEY: adminKey, VIRTFLEET_CONFIG: path.join(configDir, 'config.json') };
  });

  afterAll(async () => {
    rmSync(configDir, { recursive: true, force: true });
    await app?.close();
  });

  it('answers usage errors with exit 2 and the usage line; --help exits 0 with an example', async () => {
    const help = await cli(['host', 'add', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: virtfleet host add <name> [options]');
    expect(help.stdout).toMatch(/Example:\n {2}virtfleet host add /);
    const overview = await cli(['--help']);
    expect(overview.code).toBe(0);
    for (const words of [
      'host drain',
      'instance migrate',
      'instance resize',
      'plan execute',
      'op wait',
      'event tail',
      'key revoke',
      'placement preview',
    ])
      expect(overview.stdout).toContain(words);

    for (const args of [
      ['host', 'frobnicate'],
      ['host', 'add', 'x'],
      ['host', 'list', '--output', 'xml'],
      ['host', 'list', '--bogus'],
      ['host', 'show'],
      ['instance', 'create', 'x', '--vcpus', 'two'],
    ]) {
      const r = await cli(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stdout).toBe('');
    }
    expect((await cli(['host', 'add', 'x'])).stderr).toContain('usage: virtfleet host add <name> [options]');
  });

  it('login checks the key, stores it with mode 0600, and later commands use the profile', async () => {
    const bad = await runCli(['login', '--url', baseUrl], {
      env: { VIRTFLEET_CONFIG: env.VIRTFLEET_CONFIG! },
      stdin: `vf_${'x'.repeat(43)}\n`,
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('(401)');
    const good = await runCli(['login', '--url', baseUrl, '--profile', 'lab'], {
      env: { VIRTFLEET_CONFIG: env.VIRTFLEET_CONFIG! },
      stdin: `${adminKey}\n`,
    });
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('profile "lab"');
    expect(statSync(env.VIRTFLEET_CONFIG!).mode & 0o777).toBe(0o600);
    // No URL or key in the environment: the profile login chose answers.
    const listed = await runCli(['key', 'list', '-o', 'json'], { env: { VIRTFLEET_CONFIG: env.VIRTFLEET_CONFIG! } });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).map((k: { name: string }) => k.name)).toContain(`${tag}-admin`);
    const missing = await runCli(['host', 'list', '--profile', 'nope'], { env: { VIRTFLEET_CONFIG: env.VIRTFLEET_CONFIG! } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no profile "nope"');
  });

  it('adds, lists, shows, updates and flips maintenance on hosts by name; tables have bars, JSON parses', async () => {
    for (const n of ['a', 'b']) {
      const added = await cli([
        'host',
        'add',
        host(n),
        '--uri',
        simulatedHostUri({ cpus: 8, memoryMiB: 8192 }),
        '--driver',
        'qemu-kvm',
        '--cpu-ratio',
        '1',
        '--label',
        `suite=${tag}`,
      ]);
      expect(added.code).toBe(0);
      expect(added.stdout).toMatch(new RegExp(`name\\s+${host(n)}`));
    }
    const table = await cli(['host', 'list']);
    expect(table.code).toBe(0);
    const header = table.stdout.split('\n')[0]!;
    expect(header).toMatch(/^NAME\s+STATE\s+DRIVER\s+VMS\s+CPU\s+MEMORY\s+DISK\s+LABELS$/);
    const row = table.stdout.split('\n').find((l) => l.startsWith(`${host('a')} `))!;
    expect(row).toMatch(new RegExp(`^${host('a')}\\s+enabled\\s+qemu-kvm\\s+0\\s+░{10}\\s+0%`));
    // Aligned: every row's STATE column starts where the header's does.
    expect(row.indexOf('enabled')).toBe(header.indexOf('STATE'));
    expect(table.stdout).not.toContain('\u001b['); // no colour off a terminal

    const hosts = await json(['host', 'list']);
    const a = hosts.find((h: { name: string }) => h.name === host('a'));
    expect(a).toMatchObject({ state: 'enabled', driverKind: 'qemu-kvm', labels: { suite: tag } });
    expect((await json(['host', 'show', host('a')])).id).toBe(a.id);
    expect((await json(['host', 'show', a.id])).name).toBe(host('a'));
    const yaml = await cli(['host', 'show', host('a'), '-o', 'yaml']);
    expect(yaml.stdout).toContain(`name: ${host('a')}\n`);
    expect(yaml.stdout).toContain(`labels:\n  suite: ${tag}\n`);

    expect(await json(['host', 'update', host('b'), '--cpu-ratio', '2', '--label', 'zone=b'])).toMatchObject({
      ratios: { cpu: 2 },
      labels: { suite: tag, zone: 'b' },
    });
    expect((await json(['host', 'maintenance', host('b'), 'on'])).state).toBe('maintenance');
    expect((await json(['host', 'maintenance', host('b'), 'off'])).state).toBe('enabled');

    const unknown = await cli(['host', 'show', host('nosuch')]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`no host is named "${host('nosuch')}"`);
  }, 120_000);

  it('runs an instance through its life by name, following each operation; refusals print the problem verbatim with exit 1', async () => {
    const vm = `${tag}-web`;
    const created = await cli(['instance', 'create', vm, '--memory', '256', '--host', host('a'), '--label', `suite=${tag}`]);
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(new RegExp(`create ${vm}\\s+█{20} 100%\\s+succeeded`));
    expect(created.stdout).toMatch(new RegExp(`host\\s+${host('a')}`));

    const listed = await cli(['instance', 'list', '--host', host('a')]);
    expect(listed.stdout).toMatch(new RegExp(`^${vm}\\s+running\\s+running\\s+${host('a')}\\s+1\\s+256 MiB`, 'm'));

    // The API refuses a live move between simulated hosts; the CLI says what the API said.
    const id = (await json(['instance', 'show', vm])).id;
    const refused = await fetch(`${baseUrl}/api/v1/instances/${id}/migrate`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ targetHostId: (await json(['host', 'show', host('b')])).id }),
    });
    const problem = (await refused.json()) as { title: string; detail: string };
    const r = await cli(['instance', 'migrate', vm, '--to', host('b')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${problem.title} (409)\n${problem.detail}\n`);

    const moved = await cli(['instance', 'migrate', vm, '--to', host('b'), '--allow-downtime', '-o', 'json']);
    expect(moved.code).toBe(0);
    expect(JSON.parse(moved.stdout)).toMatchObject({ name: vm, hostId: (await json(['host', 'show', host('b')])).id });

    expect((await json(['instance', 'stop', vm, '--force'])).observedState).toBe('shutoff');
    expect(await json(['instance', 'resize', vm, '--vcpus', '2', '--memory', '512'])).toMatchObject({ vcpus: 2, memoryMiB: 512 });
    const resizeUsage = await cli(['instance', 'resize', vm]);
    expect(resizeUsage.code).toBe(2);
    expect((await json(['instance', 'start', vm])).observedState).toBe('running');

    const ops = await json(['op', 'list', '--instance', vm]);
    expect(ops.map((o: { kind: string }) => o.kind)).toEqual(expect.arrayContaining(['create', 'migrate', 'force-stop', 'start']));
    expect((await json(['op', 'show', ops[0].id])).id).toBe(ops[0].id);

    // --no-wait returns at once and says how to follow; op wait follows it to the end.
    const del = await cli(['instance', 'delete', vm, '--no-wait']);
    expect(del.code).toBe(0);
    const opId = /op wait (\S+)/.exec(del.stdout)![1]!;
    const waited = await cli(['op', 'wait', opId, '-o', 'json']);
    expect(waited.code).toBe(0);
    expect(JSON.parse(waited.stdout)).toMatchObject({ id: opId, status: 'succeeded' });

    const events = await json(['event', 'tail', '--host', host('a'), '-n', '50']);
    expect(events.map((e: { kind: string }) => e.kind)).toContain('host.registered');
  }, 180_000);

  it('draws a plan before/after per host with its moves, executes it and follows the steps', async () => {
    // Hosts of its own, so nothing another test left behind changes the picture.
    for (const n of ['pa', 'pb'])
      expect(
        (await cli(['host', 'add', host(n), '--uri', simulatedHostUri({ cpus: 8, memoryMiB: 8192 }), '--driver', 'qemu-kvm'])).code,
      ).toBe(0);
    // Stopped guests move cold, which simulated hosts can do.
    for (const [n, on] of [
      ['p1', 'pa'],
      ['p2', 'pb'],
    ] as const) {
      expect((await cli(['instance', 'create', `${tag}-${n}`, '--memory', '1024', '--host', host(on), '--no-start'])).code).toBe(0);
    }
    const plan = await json(['plan', 'create', '--host', host('pa'), '--host', host('pb')]);
    expect(plan).toMatchObject({ status: 'proposed', hostsBefore: 2, hostsAfter: 1, migrations: 1 });
    const shown = await cli(['plan', 'show', plan.id]);
    expect(shown.code).toBe(0);
    const freed = plan.freedHostIds[0] === (await json(['host', 'show', host('pa')])).id ? host('pa') : host('pb');
    const kept = freed === host('pa') ? host('pb') : host('pa');
    // 1024 of 8192 MiB before on each; after, the freed host is empty and the other holds both.
    expect(shown.stdout).toMatch(new RegExp(`^${freed}\\s+█░{9}\\s+13%\\s+→\\s+░{10}\\s+0%\\s+0 MiB of 8 GiB\\s+freed$`, 'm'));
    expect(shown.stdout).toMatch(new RegExp(`^${kept}\\s+█░{9}\\s+13%\\s+→\\s+█{3}░{7}\\s+25%\\s+2 GiB of 8 GiB$`, 'm'));
    expect(shown.stdout).toMatch(new RegExp(`^1\\s+${tag}-p\\d\\s+${freed}\\s+→\\s+${kept}\\s+cold\\s+1 GiB\\s+pending$`, 'm'));

    const executed = await cli(['plan', 'execute', plan.id]);
    expect(executed.code).toBe(0);
    expect(executed.stderr).toMatch(new RegExp(`step 1/1  ${tag}-p\\d ${freed} → ${kept} \\(cold\\)  succeeded`));
    expect(executed.stdout).toContain(`plan ${plan.id}  completed`);
    expect((await cli(['plan', 'execute', plan.id])).code).toBe(1);
    for (const n of ['p1', 'p2']) expect((await cli(['instance', 'delete', `${tag}-${n}`])).code).toBe(0);
    for (const n of ['pa', 'pb']) expect((await cli(['host', 'remove', host(n)])).code).toBe(0);
  }, 180_000);

  it('previews placement, and creates, lists and revokes keys by name', async () => {
    const preview = await json(['placement', 'preview', '--memory', '512', '--host', host('a')]);
    expect(preview.candidates.map((c: { hostName: string }) => c.hostName)).toEqual([host('a')]);
    const created = await json(['key', 'create', `${tag}-ci`, '--role', 'viewer']);
    expect(created.key).toMatch(/^vf_/);
    const viewer = await runCli(['host', 'add', host('v'), '--uri', simulatedHostUri(), '--driver', 'lxc'], {
      env: { VIRTFLEET_URL: baseUrl, VIRTFLEET_API_KEY: created.key, VIRTFLEET_CONFIG: env.VIRTFLEET_CONFIG! },
    });
    expect(viewer.code).toBe(1);
    expect(viewer.stderr).toContain('(403)');
    expect((await cli(['key', 'revoke', `${tag}-ci`])).stdout).toContain(`revoked key ${tag}-ci`);
  });

  it('drains a host by name and follows each move', async () => {
    // Simulated hosts take only instances that ask for them (by label), moves included.
    expect(
      (
        await cli([
          'instance',
          'create',
          `${tag}-d`,
          '--memory',
          '256',
          '--host',
          host('a'),
          '--require-label',
          `suite=${tag}`,
          '--no-start',
        ])
      ).code,
    ).toBe(0);
    const drained = await cli(['host', 'drain', host('a')]);
    expect(drained.code).toBe(0);
    expect(drained.stdout).toContain(`${host('a')} is draining: 1 moving, 0 refused`);
    expect(drained.stderr).toMatch(new RegExp(`move ${tag}-d\\s+█{20} 100%  succeeded`));
    expect((await json(['instance', 'show', `${tag}-d`])).hostId).toBe((await json(['host', 'show', host('b')])).id);
    expect((await cli(['instance', 'delete', `${tag}-d`])).code).toBe(0);
  }, 120_000);

  it('prints bash and zsh completion that the shells accept', async () => {
    const bash = await cli(['completion', 'bash']);
    expect(bash.stdout).toContain('complete -F _virtfleet virtfleet');
    expect(bash.stdout).toContain('migrate');
    expect(spawnSync('bash', ['-n'], { input: bash.stdout }).status).toBe(0);
    const zsh = await cli(['completion', 'zsh']);
    expect(zsh.stdout).toContain('bashcompinit');
    expect((await cli(['completion', 'fish'])).code).toBe(2);
  });

  it('colours and redraws the progress bar in place only on a terminal', async () => {
    const r = await cli(['instance', 'create', `${tag}-tty`, '--memory', '128', '--host', host('b')], { tty: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`\r\u001b\\[Kcreate ${tag}-tty  █{20} 100%  succeeded\r?\n`));
    expect(r.stdout).toContain('\u001b[1mFIELD');
    expect((await cli(['instance', 'delete', `${tag}-tty`])).code).toBe(0);
    for (const n of ['a', 'b']) expect((await cli(['host', 'remove', host(n)])).code).toBe(0);
  });
});

describeWithLibvirtd('virtfleet CLI: a live migration between real libvirtd hosts', () => {
  let app: INestApplication;
  let env: Record<string, string> = {};
  const cli = (args: string[], run: CliRun = {}) => runCli(args, { ...run, env: { ...env, ...run.env } });
  const names: string[] = [];
  const vm = `${tag}-live`;

  beforeAll(async () => {
    assertCliBuilt();
    // 2 MiB/s: the copy of even a small guest takes seconds, long enough to show progress and to be interrupted.
    app = await startTestApp({ MIGRATION_BANDWIDTH_MIBS: '2' });
    await app.listen(0, '127.0.0.1');
    env = {
      VIRTFLEET_URL: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`,
      VIRTFLEET_CONFIG: path.join(tmpdir(), `${tag}-none.json`),
    };
    // Other suites may have registered these hosts already (under their names): use those.
    const hosts = JSON.parse((await cli(['host', 'list', '-o', 'json'])).stdout) as { name: string; uri: string }[];
    for (const [n, uri] of LVHOST_URIS.slice(0, 2).entries()) {
      const existing = hosts.find((h) => h.uri === uri);
      if (existing) names.push(existing.name);
      else {
        expect((await cli(['host', 'add', `${tag}-lv${n + 1}`, '--uri', uri, '--driver', 'qemu-kvm'])).code).toBe(0);
        names.push(`${tag}-lv${n + 1}`);
      }
    }
  });

  afterAll(async () => {
    await cli(['instance', 'delete', vm]);
    await app?.close();
  });

  it('follows a live migration with progress to the end; Ctrl-C leaves the next one running and says how to follow it', async () => {
    expect((await cli(['instance', 'create', vm, '--memory', '128', '--host', names[0]!])).code).toBe(0);
    const moved = await cli(['instance', 'migrate', vm, '--to', names[1]!, '--mode', 'live']);
    expect(moved.code).toBe(0);
    const lines = moved.stderr.trim().split('\n');
    // One line per change off a terminal, ending at 100 % succeeded.
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l).toMatch(new RegExp(`^migrate ${vm}  [█░]{20}\\s+\\d+%  (pending|running|succeeded)`));
    expect(lines.at(-1)).toMatch(/█{20} 100% {2}succeeded/);
    expect(moved.stdout).toMatch(new RegExp(`host\\s+${names[1]}`));

    let interrupted = false;
    const back = await cli(['instance', 'migrate', vm, '--to', names[0]!, '--mode', 'live'], {
      onStderr: (_s, child) => {
        if (!interrupted) child.kill('SIGINT');
        interrupted = true;
      },
    });
    expect(back.code).toBe(130);
    const hint = /Follow it again with: virtfleet op wait (\S+)/.exec(back.stderr);
    expect(hint).not.toBeNull();
    const followed = await cli(['op', 'wait', hint![1]!, '-o', 'json']);
    expect(followed.code).toBe(0);
    expect(JSON.parse(followed.stdout)).toMatchObject({ kind: 'migrate', status: 'succeeded' });
  }, 180_000);
});
