// Builds DOM nodes from data. Text always goes in as text nodes (never innerHTML), so names and
// messages from the API cannot inject markup.

/**
 * h('a', { href: '#/x', class: 'y', onclick: fn }, 'text', child, [more])
 * Attributes set to null/undefined/false are left out; `on*` attributes become listeners.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces el's content. A page redrawn by a live update keeps keyboard focus on the control
 * that had it (found again by id, or by tag and text), so a refresh never throws the user out.
 */
export function replace(el, ...children) {
  const focused = el.contains(document.activeElement) && document.activeElement !== el ? document.activeElement : null;
  const sameAs =
    focused && (focused.id ? (n) => n.id === focused.id : (n) => n.tagName === focused.tagName && n.textContent === focused.textContent);
  el.replaceChildren();
  append(el, children);
  if (sameAs) [...el.querySelectorAll(focused.tagName)].find(sameAs)?.focus();
}

/**
 * A horizontal bar for `used` of `total`, with its numbers as text (the bar is decoration; the
 * text and the meter role carry the value for screen readers).
 */
export function meter(label, used, total, unit) {
  const share = total > 0 ? used / total : used > 0 ? 1 : 0;
  const pct = Math.round(share * 100);
  const fill = h('span', { class: `fill${share > 1 ? ' over' : share >= 0.85 ? ' high' : ''}` });
  // CSSOM, not a style attribute: the CSP forbids inline styles, not script-set properties.
  fill.style.width = `${Math.min(100, pct)}%`;
  return h(
    'div',
    { class: 'meter-row' },
    h('span', { class: 'meter-label' }, label),
    h(
      'span',
      {
        class: 'meter',
        role: 'meter',
        'aria-label': `${label} ${pct} %`,
        'aria-valuemin': 0,
        'aria-valuemax': 100,
        'aria-valuenow': Math.min(100, pct),
      },
      fill,
    ),
    h('span', { class: 'meter-text' }, `${fmt(used)} / ${fmt(total)}${unit ? ` ${unit}` : ''} · ${pct} %`),
  );
}

export const fmt = (n) => (Number.isInteger(n) ? n.toLocaleString('en') : n.toFixed(1));

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return h('time', { datetime: iso, title: d.toISOString() }, d.toLocaleString('en-GB', { hour12: false }));
}

export function badge(text, kind = text) {
  return h('span', { class: `badge badge-${kind}` }, text);
}
