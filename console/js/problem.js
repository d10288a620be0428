// The problem banner: every page reports API refusals here, with the problem's title and
// detail exactly as the API wrote them (e.g. "this route needs the admin role; key … has viewer").
import { ApiProblem, forgetApiKey } from './api.js';
import { h, replace } from './dom.js';

const box = () => document.getElementById('problem');

export function showProblem(error) {
  if (error?.name === 'AbortError') return;
  const p = error instanceof ApiProblem ? error.problem : { title: 'Error', detail: String(error?.message ?? error) };
  replace(
    box(),
    h('strong', { class: 'problem-title' }, `${p.title}${p.status ? ` (${p.status})` : ''}`),
    p.detail ? h('span', { class: 'problem-detail' }, p.detail) : null,
    h('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss the message', onclick: clearProblem }, '×'),
  );
  box().hidden = false;
  if (error instanceof ApiProblem && error.problem.status === 401) {
    // The key is unknown or revoked: back to the login form (main.js listens).
    forgetApiKey();
    window.dispatchEvent(new Event('virtfleet:logged-out'));
  }
}

export function clearProblem() {
  box().hidden = true;
  box().replaceChildren();
}

/** Runs an action for a button: disabled while it runs, a refusal shown in the banner. */
export async function act(button, work) {
  clearProblem();
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } catch (error) {
    showProblem(error);
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
