// The web console in a real browser (Debian's headless Chromium over the DevTools protocol):
// an operator logs in with a key, sees a seeded fleet of simulated hosts, is refused an admin
// action with a viewer key (the API's problem detail on the page), creates a consolidation plan
// through the form, executes it and sees its steps complete. Screenshots go to
// test-artifacts/console/. Also: /console is served without a key, with a strict CSP and no
// inline script.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { startTestApp } from './support/test-app.js';
import { simulatedHostUri } from './support/simulated-hosts.js';
import { Browser, CHROMIUM, type Page } from './support/chromium.js';
import { AUDIT_PAGE } from './support/page-audit.js';

const tag = `con${process.pid.toString(36)}${Date.now().toString(36)}`;
const ARTIFACTS = path.resolve(import.meta.dirname, '..', 'test-artifacts', 'console');
const newKey = () => `vf_${randomBytes(32).toString('base64url')}`;

describe('web console', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let base: string;
  const keys = { admin: newKey(), viewer: newKey() };
  const hostIds: string[] = [];
  const instanceIds: string[] = [];
  const auth = (r: request.Test) => r.set('Authorization', `Bearer ${keys.admin}`);
  const operationEnd = async (id: string): Promise<{ status: string }> => {
    for (;;) {
      const op = (await auth(http.get(`/api/v1/operations/${id}?wait=10`)).expect(200)).body;
      if (op.status !== 'pending' && op.status !== 'running') return op;
    }
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: scripts/install.sh --test installs Debian's chromium`);
    mkdirSync(ARTIFACTS, { recursive: true });
    app = await startTestApp({ API_KEYS_REQUIRED: 'true' });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    http = request(app.getHttpServer());
    const prisma = app.get(PrismaService);
    for (const role of ['admin', 'viewer'] as const) {
      await prisma.apiKey.create({
        data: {
          name: `${tag}-${role}`,
          role,
          secretHash: createHash('sha256').update(keys[role]).digest('hex'),
          prefix: keys[role].slice(0, 10),
          createdBy: 'test',
        },
      });
    }
    // Three small simulated hosts, one guest on each of two and two on the third: one host can
    // hold them all, so a plan frees two. The guests are stopped: they move cold, which the test
    // driver can do (running ones would be planned live, which it cannot).
    for (const n of ['a', 'b', 'c']) {
      const res = await auth(http.post('/api/v1/hosts'))
        .send({
          name: `${tag}-${n}`,
          uri: simulatedHostUri({ cpus: 8, memoryMiB: 8192 }),
          driverKind: 'qemu-kvm',
          cpuRatio: 2,
          diskGiB: 100,
          labels: { suite: tag, rack: n },
        })
        .expect(201);
      hostIds.push(res.body.id);
    }
    for (const [n, host] of [
      ['web-1', 0],
      ['web-2', 1],
      ['db-1', 2],
      ['db-2', 2],
    ] as const) {
      const res = await auth(http.post('/api/v1/instances'))
        .send({
          name: `${tag}-${n}`,
          driverKind: 'qemu-kvm',
          vcpus: 2,
          memoryMiB: 1024,
          diskGiB: 10,
          boot: { guestType: 'hvm' },
          hostId: hostIds[host],
          start: false,
        })
        .expect(202);
      instanceIds.push(res.body.instance.id);
      expect((await operationEnd(res.body.operationId)).status).toBe('succeeded');
    }
  }, 120_000);

  afterAll(async () => {
    for (const id of instanceIds) {
      const del = await auth(http.delete(`/api/v1/instances/${id}`));
      if (del.status === 202) await operationEnd(del.body.operationId);
    }
    for (const id of hostIds) await auth(http.delete(`/api/v1/hosts/${id}`));
    await app?.close();
  });

  it('serves /console without a key, with a strict CSP and no inline script', async () => {
    await http.get('/console').expect(301).expect('Location', '/console/');
    const page = await http.get('/console/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.text).not.toMatch(/\sstyle=|\son\w+=/);
    const script = await http.get('/console/js/main.js').expect(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    // A missing file is a 404, not the index page.
    expect((await http.get('/console/nope.js').expect(404)).text).not.toMatch(/virtfleet console/);
    // The key guard still protects the API itself.
    await http.get('/api/v1/hosts').expect(401);
  });

  describe('in Chromium', () => {
    let browser: Browser;
    let page: Page;
    const audits: Record<string, string[]> = {};
    // Each page is screenshot and audited (labels, names, contrast) at the same moments.
    const shot = async (name: string) => {
      await page.screenshot(path.join(ARTIFACTS, `${name}.png`));
      audits[name] = await page.evaluate<string[]>(AUDIT_PAGE);
    };
    const text = (selector: string) => `document.querySelector(${JSON.stringify(selector)})?.textContent ?? ''`;

    beforeAll(async () => {
      browser = await Browser.launch();
      page = await browser.newPage();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
    });

    async function logIn(key: string) {
      await page.waitFor(`document.querySelector('#api-key')`, 'the login form');
      await page.type('#api-key', key);
      await page.press('Enter');
      await page.waitFor(`!document.querySelector('#api-key') && !document.querySelector('#logout').hidden`, 'the login to succeed');
    }

    it('logs in with a viewer key, shows the seeded hosts as tiles that follow changes live, and shows the API refusing an admin action', async () => {
      // Straight to the fleet filtered to this suite's hosts: the login form comes first.
      await page.goto(`${base}/console/#/?labels=suite=${tag}`);
      await page.waitFor(`document.querySelector('#api-key')`, 'the login form');
      await shot('login');
      // A wrong key: the API's 401 detail is shown and the form stays.
      await page.type('#api-key', 'vf_not-a-key');
      await page.press('Enter');
      expect(await page.waitFor<string>(text('#problem'), 'the 401 problem')).toMatch(/unknown or revoked/);
      await page.evaluate(`document.querySelector('#api-key').value = ''`);
      await logIn(keys.viewer);

      // Read in one evaluation, once the filtered list is drawn (live updates redraw it).
      const tiles = await page.waitFor<{ name: string; count: string; meters: number; vcpu: string }[]>(
        `(() => {
        const tiles = [...document.querySelectorAll('.tile')];
        return document.querySelector('#label-filter')?.value === 'suite=${tag}' && tiles.length === 3 && tiles.map((t) => ({
          name: t.dataset.hostName, count: t.querySelector('.instance-count').textContent, meters: t.querySelectorAll('[role=meter]').length,
          vcpu: t.querySelector('.meter-text').textContent }));
      })()`,
        'three host tiles',
      );
      expect(tiles.map(({ vcpu: _vcpu, ...t }) => t)).toEqual([
        { name: `${tag}-a`, count: '1 instance', meters: 3 },
        { name: `${tag}-b`, count: '1 instance', meters: 3 },
        { name: `${tag}-c`, count: '2 instances', meters: 3 },
      ]);
      // vCPU against capacity × ratio: 4 of 8 × 2 on host c.
      expect(tiles[2]!.vcpu).toMatch(/^4 \/ 16 \(8 × 2\) · 25 %/);
      // The label filter narrows the fleet.
      await page.evaluate(
        `(() => { const i = document.querySelector('#label-filter'); i.value = 'suite=${tag} rack=c'; i.dispatchEvent(new Event('input')); })()`,
      );
      await page.waitFor(`document.querySelectorAll('.tile').length === 1`, 'one tile for rack=c');
      await page.evaluate(
        `(() => { const i = document.querySelector('#label-filter'); i.value = 'suite=${tag}'; i.dispatchEvent(new Event('input')); })()`,
      );
      await page.waitFor(`document.querySelectorAll('.tile').length === 3`, 'three tiles again');
      await shot('fleet');
      // Live: a change made elsewhere reaches the open page through the event stream.
      await auth(http.post(`/api/v1/hosts/${hostIds[1]}/maintenance`))
        .send({ enabled: true })
        .expect(200);
      await page.waitFor(
        `document.querySelector('.tile[data-host-name="${tag}-b"] .badge')?.textContent === 'maintenance'`,
        'host b in maintenance on the page',
      );
      await auth(http.post(`/api/v1/hosts/${hostIds[1]}/maintenance`))
        .send({ enabled: false })
        .expect(200);
      await page.waitFor(
        `document.querySelector('.tile[data-host-name="${tag}-b"] .badge')?.textContent === 'enabled'`,
        'host b enabled again on the page',
      );

      // The host page; a viewer may look but not put the host into maintenance.
      await page.click(`.tile[data-host-name="${tag}-a"] h2 a`);
      await page.waitFor(`document.querySelector('h1')?.textContent.startsWith(${JSON.stringify(`${tag}-a`)})`, 'the host page');
      await page.click('.actions button');
      expect(await page.waitFor<string>(text('#problem .problem-detail'), 'the 403 problem')).toMatch(
        /needs the admin role; key .* has viewer/,
      );
      expect(await page.evaluate(text('#problem .problem-title'))).toMatch(/\(403\)/);
      await shot('host-refused');
      await page.click('#logout');
    }, 60_000);

    it('creates a consolidation plan with an admin key, executes it and follows its steps to the end', async () => {
      await logIn(keys.admin);
      await page.goto(`${base}/console/#/consolidation?labels=suite=${tag}`);
      await page.waitFor(`document.querySelector('#plan-labels')?.value === 'suite=${tag}'`, 'the plan form');
      await page.click('#plan-cold');
      await page.type('#plan-cooldown', '0');
      await page.click('.plan-form button[type=submit]');
      await page.waitFor(`location.hash.startsWith('#/plans/') && document.querySelector('#plan-execute')`, 'the plan page');
      const planId = await page.evaluate<string>(`location.hash.slice('#/plans/'.length)`);
      const proposed = (await auth(http.get(`/api/v1/consolidation/plans/${planId}`)).expect(200)).body;
      expect(proposed).toMatchObject({
        status: 'proposed',
        hostsBefore: 3,
        hostsAfter: 1,
        lowerBound: 1,
        scopeHostIds: expect.arrayContaining(hostIds),
      });
      expect(await page.evaluate(text('#plan-hosts'))).toBe('3 → 1');
      expect(await page.evaluate(text('#plan-bound'))).toMatch(/^1 /);
      expect(await page.evaluate(`document.querySelectorAll('.moves li').length`)).toBe(proposed.steps.length);
      // Before/after per host: the freed hosts end empty.
      const freed = await page.evaluate<string[]>(`[...document.querySelectorAll('.plan-loads tr.freed')].map((r) => r.dataset.hostId)`);
      expect(freed.sort()).toEqual([...proposed.freedHostIds].sort());
      expect(
        await page.evaluate(
          `[...document.querySelectorAll('.plan-loads tr.freed td:last-child .meter-text')].every((t) => t.textContent.startsWith('0 /'))`,
        ),
      ).toBe(true);
      await shot('plan-proposed');

      await page.click('#plan-execute');
      await page.waitFor(`document.querySelector('#plan-status')?.textContent === 'completed'`, 'the plan to complete', 90_000);
      const done = (await auth(http.get(`/api/v1/consolidation/plans/${planId}`)).expect(200)).body;
      expect(done.status).toBe('completed');
      expect(await page.evaluate(text('#plan-progress'))).toBe(`${proposed.steps.length} / ${proposed.steps.length} steps · 100 %`);
      expect(await page.evaluate(`[...document.querySelectorAll('.moves li .badge')].map((b) => b.textContent)`)).toEqual(
        proposed.steps.map(() => 'succeeded'),
      );
      // Done steps are undone for "before": the page still shows the plan's starting point.
      const [target] = hostIds.filter((id) => !done.freedHostIds.includes(id));
      expect(
        await page.evaluate(
          `[...document.querySelectorAll('.plan-loads tr[data-host-id="${target}"] .meter-text')].map((t) => t.textContent)`,
        ),
      ).toEqual(['4 / 16 · 25 %', '2 / 8 GiB · 25 %', '8 / 16 · 50 %', '4 / 8 GiB · 50 %']);
      await shot('plan-completed');
      for (const id of done.freedHostIds) expect((await auth(http.get(`/api/v1/hosts/${id}`)).expect(200)).body.state).toBe('standby');

      // An instance page follows its state live: started from the page, it turns running
      // through the event stream.
      await page.goto(`${base}/console/#/instances/${instanceIds[0]}`);
      await page.waitFor(`document.querySelector('#observed-state')?.textContent.startsWith('shutoff')`, 'the stopped instance');
      await page.click('#action-start');
      await page.waitFor(`document.querySelector('#observed-state')?.textContent.startsWith('running')`, 'the instance to run');
      await shot('instance');

      // The timeline shows the plan's events (filtered by kind: other suites write events too).
      await page.goto(`${base}/console/#/timeline?kind=consolidation`);
      await page.waitFor(
        `[...document.querySelectorAll('.event-message')].some((m) => m.textContent === 'plan ${planId} completed')`,
        'the completed event',
      );
      await page.waitFor(`document.querySelectorAll('.operations tbody tr').length > 0`, 'the operations');
      await shot('timeline');
      // Nothing went wrong in the page: no exception, no CSP violation, no console error
      // (the refused requests above are answered, not thrown).
      expect(page.errors.filter((e) => !/status of 40[13]/.test(e))).toEqual([]);
      // Every control has a name, every text meets WCAG AA contrast, on every page seen.
      expect(Object.keys(audits)).toEqual(['login', 'fleet', 'host-refused', 'plan-proposed', 'plan-completed', 'instance', 'timeline']);
      expect(audits).toEqual(Object.fromEntries(Object.keys(audits).map((k) => [k, []])));
    }, 150_000);
  });
});
