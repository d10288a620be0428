// The committed OpenAPI document is what the code produces.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

describe('openapi/openapi.json', () => {
  it('matches the document built from the current code', () => {
    const r = spawnSync(process.execPath, ['scripts/openapi.mjs', '--check'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).not.toContain('stale');
    expect(r.status).toBe(0);
  }, 120_000);

  it('is OpenAPI 3 and documents the versioned API and health endpoints', () => {
    const doc = JSON.parse(readFileSync('openapi/openapi.json', 'utf8'));
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready', '/api/v1/hosts']));
  });
});
