// Pieces several pages draw: a host's three utilisation meters, label chips, a page refresh
// driven by the event stream.
import { followEvents } from '../api.js';
import { h, meter } from '../dom.js';
import { taken } from '../fleet-math.js';

export function hostMeters(host, load = taken(host)) {
  const u = host.usable;
  return h(
    'div',
    { class: 'meters' },
    meter('vCPU', load.vcpus, u.vcpus, `(${host.capacity.vcpus} × ${host.ratios.cpu})`),
    meter('Memory', load.memoryMiB / 1024, u.memoryMiB / 1024, `GiB (${fmtGiB(host.capacity.memoryMiB)} × ${host.ratios.memory})`),
    meter('Disk', load.diskGiB, u.diskGiB, `GiB (${host.capacity.diskGiB} × ${host.ratios.disk})`),
  );
}

const fmtGiB = (mib) => Math.round((mib / 1024) * 10) / 10;

export function labelChips(labels) {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return null;
  return h(
    'ul',
    { class: 'chips', 'aria-label': 'Labels' },
    entries.map(([k, v]) => h('li', {}, `${k}=${v}`)),
  );
}

/**
 * Calls `refresh` after events matching `filter` arrive (at most once per `everyMs`: a burst of
 * events means one reload), until the page is left.
 */
export function refreshOnEvents(filter, refresh, signal, everyMs = 500) {
  let timer = null;
  followEvents(
    filter,
    (event) => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        if (!signal.aborted) void refresh(event);
      }, everyMs);
    },
    signal,
  );
}

export function actionButton(label, onClick, extra = {}) {
  return h('button', { type: 'button', ...extra, onclick: (e) => onClick(e.currentTarget) }, label);
}
