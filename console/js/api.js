// The console's only way to the server: the public API under /api/v1 with the operator's key,
// the same routes the generated client (clients/typescript) calls. The key lives in
// sessionStorage only: gone when the tab closes, never in localStorage or a cookie.

const KEY = 'virtfleet.apiKey';

export const apiKey = () => sessionStorage.getItem(KEY);
export const setApiKey = (key) => sessionStorage.setItem(KEY, key);
export const forgetApiKey = () => sessionStorage.removeItem(KEY);

/** An answer other than 2xx, carrying the RFC 9457 problem the API sent. */
export class ApiProblem extends Error {
  constructor(problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.problem = problem;
  }
}

function headers(extra = {}) {
  const key = apiKey();
  return { Accept: 'application/json, application/problem+json', ...(key ? { Authorization: `Bearer ${key}` } : {}), ...extra };
}

async function problemOf(res) {
  const type = res.headers.get('content-type') ?? '';
  if (/json/.test(type)) {
    try {
      return await res.json();
    } catch {
      /* fall through to a made-up problem */
    }
  }
  return { type: 'about:blank', title: res.statusText || 'Request failed', status: res.status, detail: `${res.status} from ${res.url}` };
}

/** One API call; the parsed JSON answer, or throws ApiProblem. */
export async function api(method, path, body) {
  // no-store: a page redrawn from live events must see the current state, and the API's ETags
  // would otherwise turn repeat reads into conditional requests.
  const init = { method, cache: 'no-store', headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(`/api/v1${path}`, init);
  if (!res.ok) throw new ApiProblem(await problemOf(res));
  return res.status === 204 ? null : res.json();
}

/** Every item of a paged list (following nextCursor), up to `max`. */
export async function listAll(path, max = 2000) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api('GET', `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}

/**
 * Follows GET /api/v1/events/stream (server-sent events) with the key in a header, which
 * EventSource cannot send, so it reads the stream through fetch. Reconnects after a drop from
 * the last event id. Stops when `signal` aborts.
 */
export function followEvents(filter, onEvent, signal) {
  let after = null;
  const run = async () => {
    while (!signal.aborted) {
      const query = new URLSearchParams(Object.entries({ ...filter, ...(after ? { after } : {}) }).filter(([, v]) => v));
      try {
        const res = await fetch(`/api/v1/events/stream?${query}`, {
          headers: headers({ Accept: 'text/event-stream' }),
          cache: 'no-store',
          signal,
        });
        if (!res.ok || !res.body) throw new ApiProblem(await problemOf(res));
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const message = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = message
              .split('\n')
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trimStart())
              .join('\n');
            if (!data) continue; // a heartbeat comment
            const event = JSON.parse(data);
            after = event.id;
            onEvent(event);
          }
        }
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof ApiProblem && [401, 403].includes(error.problem.status)) return;
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  };
  void run();
}
