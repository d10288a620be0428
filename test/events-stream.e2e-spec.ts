// The server-sent events stream over real HTTP: state changes arrive as they are written.
import type { INestApplication } from '@nestjs/common';
import { startTestApp } from './support/test-app.js';
import { simulatedHostUri } from './support/simulated-hosts.js';

describe('GET /api/v1/events/stream', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    app = await startTestApp();
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await app.close();
  });

  it('streams new events matching the filter as text/event-stream', async () => {
    const abort = new AbortController();
    const res = await fetch(`${base}/api/v1/events/stream?kind=host.`, { signal: abort.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const name = `sse-${process.pid}-${Date.now().toString(36)}`;
    // Give the stream its first poll (it starts after the newest existing event), then act.
    await new Promise((r) => setTimeout(r, 400));
    const created = await fetch(`${base}/api/v1/hosts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, uri: simulatedHostUri(), driverKind: 'lxc' }) });
    expect(created.status).toBe(201);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = Date.now() + 10_000;
    while (!text.includes(name) && Date.now() < until) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    abort.abort();
    expect(text).toMatch(/event: host\.registered/);
    const data = text.split('\n').find((l) => l.startsWith('data: ') && l.includes(name))!;
    expect(JSON.parse(data.slice(6))).toMatchObject({ kind: 'host.registered', message: expect.stringContaining(name) });
  });
});
