#!/usr/bin/env node
// Offline Prisma migrations through the WebAssembly schema engine of prisma@6.
//   node prisma/offline-migrate/migrate.mjs deploy            apply prisma/migrations/* to DATABASE_URL
//   node prisma/offline-migrate/migrate.mjs new <name>        write the SQL of the next migration
//                                                           (committed schema -> working schema)
//   node prisma/offline-migrate/migrate.mjs sql-from-empty    print the SQL that builds schema.prisma from nothing
// Online alternative (a machine that can download Prisma's native engine):
//   npx prisma migrate deploy / npx prisma migrate dev --name <name>  (same _prisma_migrations table)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;
const repo = path.resolve(here, '..', '..');
const schemaPath = path.join(repo, 'prisma', 'schema.prisma');
const migrationsDir = path.join(repo, 'prisma', 'migrations');
const workDir = path.join(here, '.work');
const cli = path.join(here, 'node_modules', 'prisma', 'build', 'index.js');

function ensureInstalled() {
  if (existsSync(cli)) return;
  execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
}

// Prisma 6 insists on `url` in the datasource block; Prisma 7 forbids it. Add it to a copy.
function writeLegacySchema(source, name) {
  mkdirSync(workDir, { recursive: true });
  const withUrl = source.replace(/datasource\s+db\s*\{/, (m) => `${m}\n  url = env("DATABASE_URL")`);
  if (withUrl === source) throw new Error('schema.prisma has no `datasource db {` block');
  const file = path.join(workDir, name);
  writeFileSync(file, withUrl);
  return file;
}

function runPrisma(args, { capture = false } = {}) {
  const env = {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/virtfleet',
    // Any existing file stops the CLI from trying to download native engines it will not use.
    PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
    PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  };
  const r = spawnSync(
    process.execPath,
    ['-r', path.join(here, 'unref-engine-timers.cjs'), cli, ...args, '--config', path.join(here, 'prisma.config.ts')],
    { env, cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stdout = withoutOwnUrlWarning(r.stdout);
  const stderr = withoutOwnUrlWarning(r.stderr);
  if (r.status !== 0) {
    process.stderr.write(stderr + stdout);
    process.exit(r.status ?? 1);
  }
  if (capture)
    return (
      stdout
        .split('\n')
        .filter((l) => !l.startsWith('Loaded Prisma config'))
        .join('\n')
        .trim() + '\n'
    );
  process.stdout.write(stdout);
  process.stderr.write(stderr);
  return '';
}

/**
 * Prisma 6 warns that the schema's `url` is unused next to a driver adapter. That `url` is the
 * one writeLegacySchema adds because Prisma 6 refuses a schema without it, so the warning says
 * nothing to the operator: drop exactly that paragraph, keep every other line.
 */
function withoutOwnUrlWarning(text) {
  return text.replace(
    /WARNING: Your schema specifies the following datasource properties but you are using a Driver Adapter[\s\S]*?only using driver adapters\.\n*/,
    '',
  );
}

function committedSchema() {
  try {
    return execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

ensureInstalled();
const [command, name] = process.argv.slice(2);
const current = writeLegacySchema(readFileSync(schemaPath, 'utf8'), 'schema.prisma');

if (command === 'deploy') {
  runPrisma(['migrate', 'deploy']);
} else if (command === 'sql-from-empty') {
  process.stdout.write(runPrisma(['migrate', 'diff', '--from-empty', '--to-schema-datamodel', current, '--script'], { capture: true }));
} else if (command === 'new') {
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error('usage: migrate.mjs new <snake_case_name>');
    process.exit(2);
  }
  const hasMigrations = existsSync(migrationsDir) && readdirSync(migrationsDir).some((d) => /^\d{14}_/.test(d));
  const before = hasMigrations ? committedSchema() : null;
  if (hasMigrations && before === null) {
    console.error('cannot read the committed prisma/schema.prisma (git HEAD) to diff against');
    process.exit(2);
  }
  const from = before === null ? ['--from-empty'] : ['--from-schema-datamodel', writeLegacySchema(before, 'committed.prisma')];
  const sql = runPrisma(['migrate', 'diff', ...from, '--to-schema-datamodel', current, '--script'], { capture: true });
  if (/^-- This is an empty migration\.\s*$/m.test(sql) || sql.trim() === '') {
    console.error('schema.prisma matches the committed schema: no migration to write');
    process.exit(1);
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'migration.sql'), sql);
  console.log(`wrote ${path.relative(repo, dir)}/migration.sql`);
} else {
  console.error('usage: migrate.mjs deploy | new <name> | sql-from-empty');
  process.exit(2);
}
