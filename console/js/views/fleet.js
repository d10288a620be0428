// Fleet overview: every host as a tile (state, instance count, vCPU / memory / disk taken
// against capacity × ratio), filtered by labels and state; live through the event stream.
import { listAll } from '../api.js';
import { badge, h, replace } from '../dom.js';
import { matchesLabels, parseLabelFilter } from '../fleet-math.js';
import { hostMeters, labelChips, refreshOnEvents } from './shared.js';

const STATES = ['enabled', 'maintenance', 'draining', 'offline', 'standby'];

export async function renderFleet(main, { query, signal }) {
  const labelInput = h('input', {
    id: 'label-filter',
    type: 'search',
    value: query.get('labels') ?? '',
    placeholder: 'rack=r1 zone',
    'aria-describedby': 'label-filter-help',
  });
  const stateSelect = h(
    'select',
    { id: 'state-filter' },
    h('option', { value: '' }, 'any'),
    STATES.map((s) => h('option', { value: s, selected: query.get('state') === s }, s)),
  );
  const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  const tiles = h('ul', { class: 'tiles', 'aria-label': 'Hosts' });
  replace(
    main,
    h('h1', {}, 'Fleet'),
    h(
      'form',
      { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
      h('label', { for: 'label-filter' }, 'Labels'),
      labelInput,
      h('label', { for: 'state-filter' }, 'State'),
      stateSelect,
      h('span', { id: 'label-filter-help', class: 'help' }, 'key=value or key, separated by spaces; all must match.'),
    ),
    summary,
    tiles,
  );

  let hosts = [];
  const draw = () => {
    const terms = parseLabelFilter(labelInput.value);
    const shown = hosts.filter((host) => matchesLabels(host, terms) && (!stateSelect.value || host.state === stateSelect.value));
    summary.textContent = `${shown.length} of ${hosts.length} hosts · ${shown.reduce((n, x) => n + x.instanceCount, 0)} instances`;
    replace(tiles, shown.map(tile));
  };
  const keepInUrl = () => {
    const q = new URLSearchParams(Object.entries({ labels: labelInput.value.trim(), state: stateSelect.value }).filter(([, v]) => v));
    history.replaceState(null, '', `#/${q.size ? `?${q}` : ''}`);
    draw();
  };
  labelInput.addEventListener('input', keepInUrl);
  stateSelect.addEventListener('change', keepInUrl);
  const load = async () => {
    hosts = (await listAll('/hosts')).sort((a, b) => a.name.localeCompare(b.name));
    draw();
  };
  await load();
  refreshOnEvents({}, load, signal, 1000);
}

function tile(host) {
  return h(
    'li',
    { class: `tile state-${host.state}`, dataset: { hostId: host.id, hostName: host.name } },
    h('h2', {}, h('a', { href: `#/hosts/${host.id}` }, host.name)),
    h(
      'p',
      { class: 'tile-facts' },
      badge(host.state),
      ` ${host.driverKind} · `,
      h('span', { class: 'instance-count' }, `${host.instanceCount} instance${host.instanceCount === 1 ? '' : 's'}`),
      host.simulated ? ' · simulated' : null,
    ),
    hostMeters(host),
    labelChips(host.labels),
    host.lastError ? h('p', { class: 'error-text' }, host.lastError) : null,
  );
}
