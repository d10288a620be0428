#!/usr/bin/env node
// Writes openapi/openapi.json from the application itself (controllers + DTOs, documented by
// the @nestjs/swagger compiler plugin that `nest build` runs).
//   node scripts/openapi.mjs           build, then write openapi/openapi.json
//   node scripts/openapi.mjs --check   build, then exit 1 if the committed file differs
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = path.resolve(import.meta.dirname, '..');
const target = path.join(repo, 'openapi', 'openapi.json');
const check = process.argv.includes('--check');

// Built into a directory of its own (tsconfig.openapi.json): `nest build` empties its output
// first, and the test suite runs this while other suites start the API from dist/.
const out = path.join(repo, 'dist-openapi');
execFileSync(
  process.execPath,
  [path.join(repo, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build', '--path', 'tsconfig.openapi.json'],
  { cwd: repo, stdio: 'inherit' },
);

const { createApp, buildOpenApiDocument } = await import(pathToFileURL(path.join(out, 'app.factory.js')).href);
const { loadConfig } = await import(pathToFileURL(path.join(out, 'config', 'app-config.js')).href);
const { JsonLogger } = await import(pathToFileURL(path.join(out, 'common', 'json-logger.js')).href);

// Building the document needs no database or hypervisor: both connect lazily.
const app = await createApp(loadConfig({ DEMO_HOST_URI: '' }), new JsonLogger('error'));
const text = JSON.stringify(buildOpenApiDocument(app), null, 2) + '\n';
await app.close();

if (check) {
  const committed = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (committed !== text) {
    console.error('openapi/openapi.json is stale: run `node scripts/openapi.mjs` and commit the result.');
    process.exit(1);
  }
  console.log('openapi/openapi.json is up to date');
} else {
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, text);
  console.log(`wrote ${path.relative(repo, target)}`);
}
