// ESM Jest: NestJS 12 and @unraid/libvirt are ES modules that CommonJS Jest cannot load on Node 20.
// Run through `node --experimental-vm-modules` (scripts/test.sh does).
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    // isolatedModules (tsconfig) puts ts-jest in transpile-only mode: fast, no type check here;
    // `nest build` type-checks src/ and `tsc --noEmit` the rest before the suite runs.
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/cli/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  testTimeout: 60_000,
  // Tests share one PostgreSQL and one libvirtd; suites that touch them serialise on advisory
  // locks or unique names, but two workers on a 2-core machine is the sweet spot.
  maxWorkers: 2,
  // Each e2e suite on a database of its own, copied from a migrated template.
  setupFilesAfterEnv: ['<rootDir>/test/support/suite-database.ts'],
};
