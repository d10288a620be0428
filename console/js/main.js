// The console's shell: the login form, the hash router (#/hosts/<id>, … so the server serves one
// static page), and the session line.
import { api, apiKey, forgetApiKey, setApiKey } from './api.js';
import { act, clearProblem, showProblem } from './problem.js';
import { h, replace } from './dom.js';
import { renderFleet } from './views/fleet.js';
import { renderHost } from './views/host.js';
import { renderInstance } from './views/instance.js';
import { renderConsolidation, renderPlan } from './views/consolidation.js';
import { renderTimeline } from './views/timeline.js';

const main = document.getElementById('main');
const logout = document.getElementById('logout');
const session = document.getElementById('session');

const ROUTES = [
  [/^\/$/, renderFleet, 'Fleet'],
  [/^\/hosts\/([\w-]+)$/, renderHost, 'Host'],
  [/^\/instances\/([\w-]+)$/, renderInstance, 'Instance'],
  [/^\/consolidation$/, renderConsolidation, 'Consolidation'],
  [/^\/plans\/([\w-]+)$/, renderPlan, 'Consolidation plan'],
  [/^\/timeline$/, renderTimeline, 'Events and operations'],
];

function renderLogin() {
  document.title = 'Log in · virtfleet console';
  session.textContent = '';
  logout.hidden = true;
  const input = h('input', {
    id: 'api-key',
    name: 'api-key',
    type: 'password',
    autocomplete: 'off',
    required: true,
    spellcheck: 'false',
    'aria-describedby': 'api-key-help',
  });
  const form = h(
    'form',
    { class: 'login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Log in'),
    h('label', { for: 'api-key' }, 'API key'),
    input,
    h(
      'p',
      { id: 'api-key-help', class: 'help' },
      'A key from POST /api/v1/api-keys (vf_…). It is kept in this tab only (sessionStorage) and sent as a Bearer token.',
    ),
    h('button', { type: 'submit' }, 'Log in'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setApiKey(input.value.trim());
    const ok = await act(form.querySelector('button'), async () => {
      await api('GET', '/hosts?limit=1');
      return true;
    });
    if (ok) void route();
    else forgetApiKey();
  });
  replace(main, form);
  input.focus();
}

let leave = new AbortController();

async function route() {
  leave.abort();
  leave = new AbortController();
  if (!apiKey()) return renderLogin();
  const key = apiKey();
  session.textContent = `key ${key.slice(0, 10)}…`;
  logout.hidden = false;
  const path = (location.hash.slice(1) || '/').split('?')[0];
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const found = ROUTES.map(([pattern, render, title]) => ({ match: path.match(pattern), render, title })).find((r) => r.match);
  for (const link of document.querySelectorAll('nav a')) {
    const current =
      link.getAttribute('href').slice(1) === path || (path.startsWith('/plans') && link.getAttribute('href') === '#/consolidation');
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!found) {
    document.title = 'Not found · virtfleet console';
    return replace(main, h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/' }, 'Back to the fleet')));
  }
  document.title = `${found.title} · virtfleet console`;
  const signal = leave.signal;
  // Each page draws into its own element: a reload still in flight when the user moves on
  // then lands in a detached element instead of over the next page.
  const view = h('div', { class: 'view' });
  main.replaceChildren(view);
  try {
    await found.render(view, { id: found.match[1], query: params, signal });
  } catch (error) {
    if (!signal.aborted) showProblem(error);
  }
}

logout.addEventListener('click', () => {
  forgetApiKey();
  clearProblem();
  void route();
});
window.addEventListener('virtfleet:logged-out', () => void route());
window.addEventListener('hashchange', () => {
  clearProblem();
  void route().then(() => main.focus({ preventScroll: true }));
});
void route();
