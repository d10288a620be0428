// One host: facts, utilisation, its instances, maintenance and drain (admin actions: the API
// refuses them for other roles and the banner shows why). Live through the host's events.
import { api, listAll } from '../api.js';
import { badge, h, replace, time } from '../dom.js';
import { act } from '../problem.js';
import { actionButton, hostMeters, labelChips, refreshOnEvents } from './shared.js';

export async function renderHost(main, { id, signal }) {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const load = async () => {
    const [host, instances] = await Promise.all([api('GET', `/hosts/${id}`), listAll(`/instances?hostId=${id}`)]);
    replace(
      main,
      h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Fleet'), ' / ', host.name),
      h('h1', {}, host.name, ' ', badge(host.state)),
      status,
      h(
        'section',
        { 'aria-labelledby': 'host-actions' },
        h('h2', { id: 'host-actions' }, 'Actions'),
        h(
          'div',
          { class: 'actions' },
          host.state === 'maintenance'
            ? actionButton('Leave maintenance', (b) => maintenance(b, false))
            : actionButton('Enter maintenance', (b) => maintenance(b, true)),
          actionButton('Drain (migrate everything away)', drain),
          h('label', { class: 'inline' }, h('input', { type: 'checkbox', id: 'drain-downtime' }), ' allow downtime (cold moves)'),
        ),
      ),
      h(
        'section',
        { 'aria-labelledby': 'host-load' },
        h('h2', { id: 'host-load' }, 'Utilisation (taken / capacity × ratio)'),
        hostMeters(host),
      ),
      h('section', { 'aria-labelledby': 'host-facts' }, h('h2', { id: 'host-facts' }, 'Facts'), facts(host)),
      h(
        'section',
        { 'aria-labelledby': 'host-instances' },
        h('h2', { id: 'host-instances' }, `Instances (${instances.length})`),
        instanceTable(instances),
      ),
    );
  };
  const maintenance = (button, enabled) =>
    act(button, async () => {
      await api('POST', `/hosts/${id}/maintenance`, { enabled });
      await load();
    });
  const drain = (button) =>
    act(button, async () => {
      const allowDowntime = document.getElementById('drain-downtime').checked;
      const result = await api('POST', `/hosts/${id}/drain`, { policy: 'migrate', allowDowntime });
      await load();
      const stay = result.refused.map((r) => r.detail).join('; ');
      status.textContent = `Drain: ${result.started.length} migration(s) started${stay ? `; staying: ${stay}` : ''}.`;
    });
  await load();
  refreshOnEvents({ hostId: id }, load, signal);
}

function facts(host) {
  const rows = [
    ['Driver', host.driverKind],
    ['URI', host.uri],
    ['Hypervisor', [host.hypervisorType, host.hypervisorVersion].filter(Boolean).join(' ') || '—'],
    ['libvirt', host.libvirtVersion ?? '—'],
    ['Last heartbeat', time(host.lastHeartbeatAt)],
    ['Traits', host.traits.join(', ') || '—'],
    ['Labels', labelChips(host.labels) ?? '—'],
    ['Last error', host.lastError ?? '—'],
  ];
  return h(
    'dl',
    { class: 'facts' },
    rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
  );
}

export function instanceTable(instances) {
  if (instances.length === 0) return h('p', {}, 'None.');
  return h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Name', 'State', 'Task', 'vCPU', 'Memory', 'Disk'].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      instances.map((i) =>
        h(
          'tr',
          {},
          h('td', {}, h('a', { href: `#/instances/${i.id}` }, i.name)),
          h('td', {}, badge(i.observedState), i.desiredState !== i.observedState ? ` (wants ${i.desiredState})` : ''),
          h('td', {}, i.task ?? '—'),
          h('td', { class: 'num' }, i.vcpus),
          h('td', { class: 'num' }, `${i.memoryMiB} MiB`),
          h('td', { class: 'num' }, `${i.diskGiB} GiB`),
        ),
      ),
    ),
  );
}
