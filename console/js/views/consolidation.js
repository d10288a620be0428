// Consolidation: plans as a dry run (scoped to the hosts a label filter selects, or the whole
// fleet), each drawn as before/after host utilisation with its moves, the lower bound, and
// execute / abort with step progress.
import { api, listAll } from '../api.js';
import { badge, h, meter, replace, time } from '../dom.js';
import { matchesLabels, parseLabelFilter, planLoads } from '../fleet-math.js';
import { act } from '../problem.js';
import { actionButton, refreshOnEvents } from './shared.js';

export async function renderConsolidation(main, { query, signal }) {
  const field = (id, label, input, help) =>
    h('div', { class: 'field' }, h('label', { for: id }, label), input, help ? h('span', { class: 'help', id: `${id}-help` }, help) : null);
  const labels = h('input', {
    id: 'plan-labels',
    type: 'text',
    value: query.get('labels') ?? '',
    placeholder: 'rack=r1',
    'aria-describedby': 'plan-labels-help',
  });
  const cold = h('input', { id: 'plan-cold', type: 'checkbox' });
  const maxUtil = h('input', {
    id: 'plan-max',
    type: 'number',
    min: 0.1,
    max: 1,
    step: 0.05,
    value: 1,
    'aria-describedby': 'plan-max-help',
  });
  const budget = h('input', { id: 'plan-budget', type: 'number', min: 0, max: 100000, step: 1, placeholder: 'no limit' });
  const cooldown = h('input', {
    id: 'plan-cooldown',
    type: 'number',
    min: 0,
    max: 2592000,
    step: 1,
    placeholder: 'server default',
    'aria-describedby': 'plan-cooldown-help',
  });
  const form = h(
    'form',
    { class: 'plan-form', 'aria-labelledby': 'new-plan' },
    h('h2', { id: 'new-plan' }, 'New plan (a dry run: nothing moves until you execute it)'),
    field('plan-labels', 'Hosts with labels', labels, 'Empty: the whole fleet.'),
    h(
      'div',
      { class: 'field' },
      h('label', { class: 'inline', for: 'plan-cold' }, cold, ' allow cold migration (downtime for guests that cannot move live)'),
    ),
    field('plan-max', 'Fill hosts up to', maxUtil, 'Fraction of usable capacity, 0.1–1.'),
    field('plan-budget', 'Most migrations', budget),
    field('plan-cooldown', 'Cooldown (seconds)', cooldown, 'Instances migrated more recently stay put.'),
    h('button', { type: 'submit' }, 'Create plan'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(form.querySelector('button[type=submit]'), async () => {
      const body = { allowColdMigration: cold.checked, maxUtilisation: Number(maxUtil.value) };
      if (budget.value !== '') body.migrationBudget = Number(budget.value);
      if (cooldown.value !== '') body.cooldownSeconds = Number(cooldown.value);
      const terms = parseLabelFilter(labels.value);
      if (terms.length > 0) {
        body.hostIds = (await listAll('/hosts')).filter((x) => matchesLabels(x, terms)).map((x) => x.id);
        if (body.hostIds.length === 0) throw new Error(`no host carries the labels ${labels.value}`);
      }
      const plan = await api('POST', '/consolidation/plans', body);
      location.hash = `#/plans/${plan.id}`;
    });
  });
  const plans = h('div');
  replace(
    main,
    h('h1', {}, 'Consolidation'),
    form,
    h('section', { 'aria-labelledby': 'recent-plans' }, h('h2', { id: 'recent-plans' }, 'Recent plans'), plans),
  );
  const load = async () => {
    const page = await api('GET', '/consolidation/plans?limit=20');
    replace(
      plans,
      page.items.length === 0
        ? h('p', {}, 'No plans yet.')
        : h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Plan', 'Status', 'Hosts', 'Lower bound', 'Migrations', 'Created'].map((c) => h('th', { scope: 'col' }, c)),
              ),
            ),
            h(
              'tbody',
              {},
              page.items.map((p) =>
                h(
                  'tr',
                  {},
                  h('td', {}, h('a', { href: `#/plans/${p.id}` }, p.id.slice(0, 8))),
                  h('td', {}, badge(p.status)),
                  h('td', {}, `${p.hostsBefore} → ${p.hostsAfter}`),
                  h('td', { class: 'num' }, p.lowerBound),
                  h('td', { class: 'num' }, p.migrations),
                  h('td', {}, time(p.createdAt)),
                ),
              ),
            ),
          ),
    );
  };
  await load();
  refreshOnEvents({ kind: 'consolidation' }, load, signal);
}

const RUNNING = new Set(['executing', 'aborting']);

export async function renderPlan(main, { id, signal }) {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  let sizes = null;
  const load = async () => {
    const [plan, hosts] = await Promise.all([api('GET', `/consolidation/plans/${id}`), listAll('/hosts')]);
    // Instance sizes once: they do not change while a plan moves them.
    sizes ??= new Map(
      (await Promise.all(plan.steps.slice(0, 500).map((s) => api('GET', `/instances/${s.instanceId}`).catch(() => null))))
        .filter(Boolean)
        .map((i) => [i.id, i]),
    );
    const names = new Map(hosts.map((x) => [x.id, x.name]));
    const name = (hostId) => names.get(hostId) ?? hostId.slice(0, 8);
    const done = plan.steps.filter((s) => ['succeeded', 'failed', 'skipped'].includes(s.status)).length;
    const bar = h('span', { class: 'fill' });
    bar.style.width = `${plan.progress}%`;
    replace(
      main,
      h('p', { class: 'crumbs' }, h('a', { href: '#/consolidation' }, 'Consolidation'), ' / plan ', plan.id.slice(0, 8)),
      h('h1', {}, 'Plan ', plan.id.slice(0, 8), ' ', h('span', { id: 'plan-status' }, badge(plan.status))),
      h(
        'dl',
        { class: 'facts plan-facts' },
        h('dt', {}, 'Active hosts'),
        h('dd', { id: 'plan-hosts' }, `${plan.hostsBefore} → ${plan.hostsAfter}`),
        h('dt', {}, 'Lower bound'),
        h('dd', { id: 'plan-bound' }, `${plan.lowerBound} (no plan for this load can use fewer hosts)`),
        h('dt', {}, 'Migrations'),
        h('dd', {}, `${plan.migrations}, ${Math.round(plan.memoryToMoveMiB / 102.4) / 10} GiB of memory to move`),
        h('dt', {}, 'Created'),
        h('dd', {}, time(plan.createdAt), ` by ${plan.actor} (${plan.trigger})`),
        plan.error ? [h('dt', {}, 'Error'), h('dd', { class: 'error-text' }, plan.error.message ?? JSON.stringify(plan.error))] : null,
      ),
      h(
        'div',
        { class: 'progress-row' },
        h('span', { id: 'plan-progress-label' }, 'Steps'),
        h(
          'span',
          {
            class: 'meter',
            role: 'progressbar',
            'aria-labelledby': 'plan-progress-label',
            'aria-valuemin': 0,
            'aria-valuemax': 100,
            'aria-valuenow': plan.progress,
          },
          bar,
        ),
        h('span', { id: 'plan-progress' }, `${done} / ${plan.steps.length} steps · ${plan.progress} %`),
      ),
      h(
        'div',
        { class: 'actions' },
        actionButton('Execute', execute, { id: 'plan-execute', disabled: plan.status !== 'proposed' }),
        actionButton('Abort', abort, {
          id: 'plan-abort',
          class: 'danger',
          disabled: !(plan.status === 'proposed' || plan.status === 'executing'),
        }),
      ),
      status,
      h('section', { 'aria-labelledby': 'plan-moves' }, h('h2', { id: 'plan-moves' }, `Moves (${plan.steps.length})`), moves(plan, name)),
      h('section', { 'aria-labelledby': 'plan-loads' }, h('h2', { id: 'plan-loads' }, 'Hosts before → after'), loads(plan, hosts, sizes)),
      plan.skipped.length > 0
        ? h(
            'section',
            { 'aria-labelledby': 'plan-skipped' },
            h('h2', { id: 'plan-skipped' }, `Instances that stay (${plan.skipped.length})`),
            h(
              'ul',
              {},
              plan.skipped.slice(0, 100).map((s) => h('li', {}, `${sizes.get(s.instanceId)?.name ?? s.instanceId}: ${s.reason}`)),
            ),
          )
        : null,
    );
    return plan;
  };
  const execute = (button) =>
    act(button, async () => {
      await api('POST', `/consolidation/plans/${id}/execute`);
      status.textContent = 'Execution started.';
      await follow();
    });
  const abort = (button) =>
    act(button, async () => {
      await api('POST', `/consolidation/plans/${id}/abort`);
      status.textContent = 'Abort requested.';
      await follow();
    });
  // While the plan runs, reload it every second (its steps' migrations also wake the page via
  // the event stream); stop once it has ended or the page is left.
  let following = false;
  const follow = async () => {
    if (following) return;
    following = true;
    try {
      for (let plan = await load(); RUNNING.has(plan.status) && !signal.aborted; plan = await load()) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    } finally {
      following = false;
    }
  };
  const plan = await load();
  if (RUNNING.has(plan.status)) void follow();
  refreshOnEvents({ kind: 'consolidation' }, () => (following ? undefined : load()), signal);
}

function moves(plan, name) {
  if (plan.steps.length === 0) return h('p', {}, 'Nothing to move: the fleet is as packed as this policy allows.');
  return h(
    'ol',
    { class: 'moves' },
    plan.steps.map((s) =>
      h(
        'li',
        { class: `move step-${s.status}`, dataset: { seq: s.seq } },
        h('span', { class: 'move-name' }, s.instanceName),
        h('span', { class: 'move-path' }, name(s.fromHostId), h('span', { class: 'arrow', 'aria-label': 'to' }, ' → '), name(s.toHostId)),
        h('span', { class: 'move-mode' }, `${s.mode}, ${s.memoryMiB} MiB`),
        badge(s.status),
        s.error ? h('span', { class: 'error-text' }, s.error.detail ?? s.error.message ?? JSON.stringify(s.error)) : null,
      ),
    ),
  );
}

function loads(plan, hosts, sizes) {
  const rows = planLoads(plan, hosts, sizes);
  return h(
    'table',
    { class: 'plan-loads' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Host', 'Before', '', 'After'].map((c, n) => h('th', { scope: 'col', 'aria-label': n === 2 ? 'becomes' : null }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map(({ host, before, after, freed }) =>
        h(
          'tr',
          { class: freed ? 'freed' : '', dataset: { hostId: host.id } },
          h(
            'th',
            { scope: 'row' },
            h('a', { href: `#/hosts/${host.id}` }, host.name),
            freed ? h('span', { class: 'freed-note' }, ' emptied → standby') : null,
          ),
          h('td', {}, loadMeters(host, before)),
          h('td', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
          h('td', {}, loadMeters(host, after)),
        ),
      ),
    ),
  );
}

const loadMeters = (host, load) =>
  h(
    'div',
    { class: 'meters compact' },
    meter('vCPU', load.vcpus, host.usable.vcpus, ''),
    meter('Memory', load.memoryMiB / 1024, host.usable.memoryMiB / 1024, 'GiB'),
  );
