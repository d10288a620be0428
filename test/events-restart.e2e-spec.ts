// Opt-in: an event stream survives a real PostgreSQL restart. It restarts a whole cluster, so
// it runs only against a throwaway one, named in VIRTFLEET_TEST_RESTART_CLUSTER as
// "<version> <name> <port>" (e.g. "15 sseauth 5447", made with pg_createcluster; user postgres,
// password postgres, migrated database virtfleet_restart). Never point it at a shared cluster.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { startTestApp } from './support/test-app.js';

const cluster = process.env.VIRTFLEET_TEST_RESTART_CLUSTER?.split(' ');
const describeIfCluster = cluster?.length === 3 ? describe : describe.skip;

describeIfCluster('event stream across a PostgreSQL restart', () => {
  const [version, name, port] = cluster ?? [];
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/virtfleet_restart`;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    app = await startTestApp({ DATABASE_URL: url });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await app.close();
  });

  async function insert(message: string, hostId: string): Promise<void> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('INSERT INTO events (kind, message, host_id) VALUES ($1, $2, $3)', ['drift', message, hostId]);
    await client.end();
  }

  it('resumes after the restart and delivers what was written before and after it', async () => {
    const hostId = randomUUID();
    const abort = new AbortController();
    const res = await fetch(`${base}/api/v1/events/stream?hostId=${hostId}`, { signal: abort.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const waitFor = async (needle: string) => {
      const until = Date.now() + 30_000;
      while (!text.includes(needle) && Date.now() < until) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += decoder.decode(chunk.value);
      }
      expect(text).toContain(needle);
    };
    try {
      await new Promise((r) => setTimeout(r, 300));
      await insert('before-restart', hostId);
      await waitFor('before-restart');
      execFileSync('pg_ctlcluster', [version!, name!, 'restart'], { stdio: 'ignore' });
      await insert('after-restart', hostId);
      await waitFor('after-restart');
    } finally {
      abort.abort();
    }
  }, 60_000);
});
