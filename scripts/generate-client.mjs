#!/usr/bin/env node
// Writes the TypeScript client types (clients/typescript/virtfleet-api.generated.ts) from the
// committed openapi/openapi.json with openapi-typescript; openapi-fetch is the runtime that
// clients/typescript/index.ts wraps around them.
//   node scripts/generate-client.mjs           write the file
//   node scripts/generate-client.mjs --check   exit 1 if the committed file differs
// Regenerate the spec first (`node scripts/openapi.mjs`): this script reads the committed one.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import openapiTS from 'openapi-typescript';

const repo = path.resolve(import.meta.dirname, '..');
const spec = path.join(repo, 'openapi', 'openapi.json');
const target = path.join(repo, 'clients', 'typescript', 'virtfleet-api.generated.ts');
const check = process.argv.includes('--check');

const commentHeader = [
  '// GENERATED FILE: do not edit by hand.',
  '// Written by `node scripts/generate-client.mjs` (openapi-typescript) from openapi/openapi.json;',
  '// `node scripts/generate-client.mjs --check` (and test/client.e2e-spec.ts) fails when it is stale.',
  '',
].join('\n');

const body = await openapiTS(JSON.parse(readFileSync(spec, 'utf8')), { commentHeader, silent: true });
const text = body.endsWith('\n') ? body : `${body}\n`;

if (check) {
  const committed = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (committed !== text) {
    console.error(`${path.relative(repo, target)} is stale: run \`node scripts/generate-client.mjs\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${path.relative(repo, target)} is up to date`);
} else {
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, text);
  console.log(`wrote ${path.relative(repo, target)}`);
}
