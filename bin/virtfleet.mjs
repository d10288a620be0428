#!/usr/bin/env node
// The `virtfleet` command line. Its TypeScript (cli/) is compiled to dist-cli/ by `npm run build`
// (`npx tsc -p cli/tsconfig.json` alone is enough).
import { existsSync } from 'node:fs';

const entry = new URL('../dist-cli/cli/virtfleet.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('virtfleet: dist-cli/ is missing; build it with `npx tsc -p cli/tsconfig.json` (or npm run build)\n');
  process.exit(2);
}
await import(entry.href);
