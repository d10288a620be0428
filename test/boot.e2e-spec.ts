// The built server (dist/main.js, as `npm start` runs it) refuses bad configuration.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

describe('booting with bad configuration', () => {
  beforeAll(() => {
    if (!existsSync('dist/main.js')) throw new Error('dist/main.js is missing: scripts/test.sh builds it (npx nest build)');
  });

  it('exits non-zero with a message naming each bad variable, without listening', () => {
    const r = spawnSync(process.execPath, ['dist/main.js'], {
      env: { PATH: process.env.PATH, PORT: 'not-a-port', DATABASE_URL: 'mysql://nope', LOG_LEVEL: 'error' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('invalid configuration');
    expect(r.stderr).toMatch(/PORT: /);
    expect(r.stderr).toMatch(/DATABASE_URL: must be a postgresql:\/\/ URL/);
    expect(r.stdout).not.toContain('virtfleet is up');
  });
});
