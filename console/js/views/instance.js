// One instance: desired / task / observed state, live through its events; power actions,
// migration and deletion as the API offers them (each answers with an operation).
import { api, listAll } from '../api.js';
import { badge, h, replace, time } from '../dom.js';
import { act } from '../problem.js';
import { actionButton, labelChips, refreshOnEvents } from './shared.js';
import { operationTable } from './timeline.js';

const POWER = [
  ['start', 'Start'],
  ['stop', 'Stop'],
  ['force-stop', 'Force stop'],
  ['reboot', 'Reboot'],
  ['suspend', 'Suspend'],
  ['resume', 'Resume'],
];

export async function renderInstance(main, { id, signal }) {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const load = async () => {
    const [i, hosts, operations] = await Promise.all([
      api('GET', `/instances/${id}`),
      listAll('/hosts'),
      api('GET', `/operations?instanceId=${id}&limit=20`),
    ]);
    const host = hosts.find((x) => x.id === i.hostId);
    const target = h(
      'select',
      { id: 'migrate-target' },
      h('option', { value: '' }, 'placement chooses'),
      hosts.filter((x) => x.id !== i.hostId).map((x) => h('option', { value: x.id }, `${x.name} (${x.state})`)),
    );
    const mode = h(
      'select',
      { id: 'migrate-mode' },
      ['auto', 'live', 'cold'].map((m) => h('option', { value: m }, m)),
    );
    replace(
      main,
      h(
        'p',
        { class: 'crumbs' },
        h('a', { href: '#/' }, 'Fleet'),
        ' / ',
        host ? h('a', { href: `#/hosts/${host.id}` }, host.name) : 'no host',
        ' / ',
        i.name,
      ),
      h('h1', {}, i.name, ' ', badge(i.observedState)),
      h(
        'dl',
        { class: 'facts state-facts' },
        h('dt', {}, 'Observed'),
        h('dd', { id: 'observed-state' }, i.observedState, i.observedReason ? ` (${i.observedReason})` : ''),
        h('dt', {}, 'Desired'),
        h('dd', {}, i.desiredState),
        h('dt', {}, 'Task'),
        h('dd', {}, i.task ? `${i.task} until ` : '—', i.task ? time(i.taskDeadline) : null),
        h('dt', {}, 'Host'),
        h('dd', {}, host ? h('a', { href: `#/hosts/${host.id}` }, host.name) : '—'),
      ),
      status,
      h(
        'section',
        { 'aria-labelledby': 'instance-actions' },
        h('h2', { id: 'instance-actions' }, 'Actions'),
        h(
          'div',
          { class: 'actions' },
          POWER.map(([action, label]) =>
            actionButton(label, (b) => run(b, action, action === 'stop' ? { timeoutSeconds: 60 } : undefined), { id: `action-${action}` }),
          ),
        ),
        h(
          'div',
          { class: 'actions' },
          h('label', { for: 'migrate-target' }, 'Migrate to'),
          target,
          h('label', { for: 'migrate-mode' }, 'mode'),
          mode,
          actionButton('Migrate', (b) =>
            run(b, 'migrate', {
              mode: mode.value,
              allowDowntime: mode.value !== 'live',
              ...(target.value ? { targetHostId: target.value } : {}),
            }),
          ),
          actionButton(
            'Delete',
            (b) => {
              if (confirm(`Delete ${i.name}? Its guest and volumes on the host are removed.`)) void remove(b);
            },
            { class: 'danger' },
          ),
        ),
      ),
      h(
        'section',
        { 'aria-labelledby': 'instance-spec' },
        h('h2', { id: 'instance-spec' }, 'Specification'),
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, 'Driver / guest'),
          h('dd', {}, `${i.driverKind} / ${i.guestType}`),
          h('dt', {}, 'Size'),
          h('dd', {}, `${i.vcpus} vCPU, ${i.memoryMiB} MiB, ${i.diskGiB} GiB`),
          h('dt', {}, 'Labels'),
          h('dd', {}, labelChips(i.labels) ?? '—'),
          h('dt', {}, 'Last migrated'),
          h('dd', {}, time(i.lastMigratedAt)),
        ),
      ),
      h('section', { 'aria-labelledby': 'instance-ops' }, h('h2', { id: 'instance-ops' }, 'Operations'), operationTable(operations.items)),
    );
  };
  const run = (button, action, body) =>
    act(button, async () => {
      const accepted = await api('POST', `/instances/${id}/${action}`, body);
      status.textContent = `${action} accepted: operation ${accepted.operationId}.`;
      await load();
    });
  const remove = (button) =>
    act(button, async () => {
      const accepted = await api('DELETE', `/instances/${id}`);
      status.textContent = `delete accepted: operation ${accepted.operationId}.`;
    });
  await load();
  refreshOnEvents({ instanceId: id }, load, signal);
}
