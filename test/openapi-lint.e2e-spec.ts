// The committed OpenAPI document passes Redocly's lint (redocly.yaml: `recommended` plus a few
// stricter rules) with no errors. Runs offline: no remote rulesets, telemetry off.
import { spawnSync } from 'node:child_process';

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer?: string }[];
}

describe('openapi/openapi.json lint', () => {
  it('has no errors under redocly.yaml', () => {
    const r = spawnSync(
      process.execPath,
      ['node_modules/@redocly/cli/bin/cli.js', 'lint', 'openapi/openapi.json', '--config', 'redocly.yaml', '--format=json'],
      { encoding: 'utf8', timeout: 60_000, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
    );
    const report = JSON.parse(r.stdout) as { totals: { errors: number; warnings: number }; problems: LintProblem[] };
    const errors = report.problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
    expect(r.status).toBe(0);
  });
});
