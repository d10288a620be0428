// scripts/ensure-postgres.sh (run by `npm start` and `npm test`) may start a local server and,
// on a server it has just installed, give the URL's role its password; an existing server is the
// operator's and is never changed. Runs against the real PostgreSQL the suite uses.
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { TEST_DATABASE_URL } from './support/test-app.js';

const server = new URL(TEST_DATABASE_URL);
const run = (url: string) =>
  spawnSync('bash', ['scripts/ensure-postgres.sh'], { env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });

async function roleExists(name: string): Promise<boolean> {
  const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  try {
    return (await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).rowCount === 1;
  } finally {
    await db.end();
  }
}

describe('scripts/ensure-postgres.sh on an existing server', () => {
  const stranger = `vf_stranger_${process.pid}`;
  const database = `vf_nowhere_${process.pid}`;

  afterAll(async () => {
    // Only present if the script changed the server (the bug this guards against).
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      await db.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await db.query(`DROP ROLE IF EXISTS "${stranger}"`);
    } finally {
      await db.end();
    }
  });

  it('accepts credentials that log in, and changes nothing', () => {
    const r = run(TEST_DATABASE_URL);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('stops with a message naming the problem when the URL cannot log in, and creates no role', async () => {
    const r = run(`postgresql://${stranger}:guess@${server.hostname}:${server.port || 5432}/${database}`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`refuses user ${stranger}`);
    expect(r.stderr).toContain('does not change an existing database server');
    expect(await roleExists(stranger)).toBe(false);
  });
});
