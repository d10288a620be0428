// Events and operations: the newest events (new ones arrive through the stream at the top) and
// the recent operations with their progress.
import { api, followEvents } from '../api.js';
import { badge, h, replace, time } from '../dom.js';

const MAX_EVENTS = 200;

export async function renderTimeline(main, { query, signal }) {
  const kind = h('input', {
    id: 'event-kind',
    type: 'search',
    value: query.get('kind') ?? '',
    placeholder: 'instance. or drift',
    pattern: '[a-z.]{1,32}',
  });
  const events = h('ol', { class: 'timeline', 'aria-label': 'Events, newest first', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  const operations = h('div');
  replace(
    main,
    h('h1', {}, 'Events and operations'),
    h(
      'div',
      { class: 'columns' },
      h(
        'section',
        { 'aria-labelledby': 'events-title' },
        h('h2', { id: 'events-title' }, 'Events'),
        h(
          'form',
          { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
          h('label', { for: 'event-kind' }, 'Kind (or prefix)'),
          kind,
        ),
        events,
      ),
      h('section', { 'aria-labelledby': 'ops-title' }, h('h2', { id: 'ops-title' }, 'Operations'), operations),
    ),
  );

  let stream = new AbortController();
  signal.addEventListener('abort', () => stream.abort());
  const loadEvents = async () => {
    stream.abort();
    stream = new AbortController();
    const filter = kind.validity.valid && kind.value ? { kind: kind.value } : {};
    const page = await api('GET', `/events?limit=50${filter.kind ? `&kind=${encodeURIComponent(filter.kind)}` : ''}`);
    replace(events, page.items.map(eventItem));
    followEvents(
      { ...filter, ...(page.items[0] ? { after: page.items[0].id } : {}) },
      (e) => {
        events.prepend(eventItem(e));
        while (events.children.length > MAX_EVENTS) events.lastElementChild.remove();
        if (e.operationId) void loadOperations();
      },
      stream.signal,
    );
  };
  const loadOperations = async () => replace(operations, operationTable((await api('GET', '/operations?limit=30')).items));
  kind.addEventListener('change', () => void loadEvents());
  await Promise.all([loadEvents(), loadOperations()]);
}

function eventItem(e) {
  return h(
    'li',
    { class: `event kind-${e.kind.split('.')[0]}` },
    time(e.at),
    ' ',
    badge(e.kind, e.kind.split('.')[0]),
    ' ',
    h('span', { class: 'event-message' }, e.message),
    e.hostId ? [' ', h('a', { href: `#/hosts/${e.hostId}` }, 'host')] : null,
    e.instanceId ? [' ', h('a', { href: `#/instances/${e.instanceId}` }, 'instance')] : null,
    e.actor ? h('span', { class: 'actor' }, ` by ${e.actor}`) : null,
  );
}

export function operationTable(items) {
  if (items.length === 0) return h('p', {}, 'None.');
  return h(
    'table',
    { class: 'operations' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Kind', 'Status', 'Progress', 'Target', 'Created', 'Finished'].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      items.map((op) =>
        h(
          'tr',
          {},
          h('td', {}, op.kind),
          h(
            'td',
            {},
            badge(op.status),
            op.error ? h('span', { class: 'error-text' }, ` ${op.error.detail ?? op.error.message ?? ''}`) : null,
          ),
          h('td', { class: 'num' }, `${op.progress} %`),
          h(
            'td',
            {},
            op.targetType === 'instance'
              ? h('a', { href: `#/instances/${op.targetId}` }, `instance ${op.targetId.slice(0, 8)}`)
              : op.targetType === 'host'
                ? h('a', { href: `#/hosts/${op.targetId}` }, `host ${op.targetId.slice(0, 8)}`)
                : op.targetType === 'plan'
                  ? h('a', { href: `#/plans/${op.targetId}` }, `plan ${op.targetId.slice(0, 8)}`)
                  : op.targetId,
          ),
          h('td', {}, time(op.createdAt)),
          h('td', {}, time(op.finishedAt)),
        ),
      ),
    ),
  );
}
