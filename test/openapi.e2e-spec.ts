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

describe('openapi/openapi.json conventions', () => {
  const doc = JSON.parse(readFileSync('openapi/openapi.json', 'utf8'));
  const schemas = doc.components.schemas as Record<string, any>;
  const resolve = (s: any): any =>
    s?.$ref ? resolve(schemas[s.$ref.split('/').pop()]) : s?.allOf?.length === 1 ? { ...resolve(s.allOf[0]), ...s, allOf: undefined } : s;
  const operations = Object.entries(doc.paths as Record<string, any>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map(([method, op]) => ({ path, method, op: op as any })),
  );

  it('points "Try it out" at the server that served the page', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it("lists every state as an enum of the schema's values", () => {
    const enumOf = (schema: string, prop: string) => resolve(schemas[schema].properties[prop]).enum;
    expect(enumOf('OperationDto', 'status')).toEqual(['pending', 'running', 'succeeded', 'failed', 'aborted']);
    expect(enumOf('HostDto', 'state')).toEqual(['enabled', 'maintenance', 'draining', 'offline', 'standby']);
    expect(enumOf('InstanceDto', 'desiredState')).toEqual(['running', 'stopped', 'paused']);
    expect(enumOf('InstanceDto', 'observedState')).toEqual([
      'running',
      'paused',
      'shutoff',
      'shutting-down',
      'crashed',
      'pm-suspended',
      'blocked',
      'missing',
      'unknown',
    ]);
    expect(enumOf('InstanceDto', 'task')).toContain('migrating');
    expect(enumOf('InstanceDto', 'guestType')).toEqual(['hvm', 'xen-pv', 'xen-pvh', 'xen-hvm', 'container']);
    expect(enumOf('PlanDto', 'status')).toEqual(['proposed', 'executing', 'completed', 'failed', 'aborting', 'aborted']);
    expect(schemas.InstanceDto.properties.placementGroup).toMatchObject({ nullable: true, type: 'object' });
  });

  it('documents Idempotency-Key on POST only', () => {
    for (const { path, method, op } of operations) {
      const has = (op.parameters ?? []).some((p: any) => p.in === 'header' && p.name === 'Idempotency-Key');
      expect([`${method} ${path}`, has]).toEqual([`${method} ${path}`, method === 'post']);
    }
  });

  it("documents the headers answers carry and the body parser's answers", () => {
    for (const { path, method, op } of operations) {
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        expect([path, method, status, Object.keys(response.headers ?? {})]).toEqual([
          path,
          method,
          status,
          expect.arrayContaining(['X-Request-Id', ...(['429', '503'].includes(status) ? ['Retry-After'] : [])]),
        ]);
      }
      if (op.requestBody)
        expect([path, method, Object.keys(op.responses)]).toEqual([path, method, expect.arrayContaining(['400', '413', '415'])]);
    }
    expect(Object.keys(doc.paths['/api/v1/instances'].post.responses['202'].headers)).toEqual(expect.arrayContaining(['Location', 'ETag']));
    expect(Object.keys(doc.paths['/api/v1/instances/{id}'].get.responses['200'].headers)).toContain('ETag');
    expect(Object.keys(doc.paths['/api/v1/hosts'].post.responses['201'].headers)).toEqual(expect.arrayContaining(['Location', 'ETag']));
  });
});
