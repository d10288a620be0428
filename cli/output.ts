// Terminal output without dependencies: colour (only on a TTY), aligned tables, utilisation
// bars and a small YAML writer for `--output yaml`. Pure functions; main.ts does the writing.

export type OutputFormat = 'table' | 'json' | 'yaml';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
}

const wrap = (on: boolean, code: number, off: number) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[${off}m` : s);

/** Colour only when writing to a terminal and NO_COLOR is not set (https://no-color.org). */
export function styleFor(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): Style {
  const on = isTTY && !env.NO_COLOR && env.TERM !== 'dumb';
  return { bold: wrap(on, 1, 22), dim: wrap(on, 2, 22), red: wrap(on, 31, 39), green: wrap(on, 32, 39), yellow: wrap(on, 33, 39) };
}

const ANSI = /\u001b\[[0-9;]*m/g;
export const visibleWidth = (s: string): number => [...s.replace(ANSI, '')].length;

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export function table(headers: string[], rows: string[][], style?: Style): string {
  const widths = headers.map((h, i) => Math.max(visibleWidth(h), ...rows.map((r) => visibleWidth(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - visibleWidth(c))))
      .join('  ')
      .trimEnd();
  const head = line(headers);
  return [style ? style.bold(head) : head, ...rows.map(line)].join('\n');
}

/** `██████░░░░  60%`: a fraction of 0–1 (more than 1 is drawn full and printed as is). */
export function bar(fraction: number, width = 10): string {
  const clamped = Math.max(0, Math.min(1, fraction));
  const full = Math.round(clamped * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)} ${`${Math.round(fraction * 100)}%`.padStart(4)}`;
}

export function mib(n: number): string {
  return n >= 1024 && n % 1024 === 0 ? `${n / 1024} GiB` : n >= 10240 ? `${(n / 1024).toFixed(1)} GiB` : `${n} MiB`;
}

export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  for (; n >= 1024 && i < units.length - 1; i++) n /= 1024;
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

export const labelText = (labels: Record<string, string> | null | undefined): string =>
  Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

// A plain scalar unless YAML would read it as something else (a number, bool, null) or it
// holds syntax; then a JSON string, which is valid YAML.
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./+@ -]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;
function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(' ') ? value : JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object') return '{}';
  return String(value);
}

/** YAML 1.2 block style for JSON data (what `--output yaml` prints). */
export function toYaml(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return value
      .map((item) => {
        const inner = toYaml(item, `${indent}  `);
        return `${indent}- ${isBlock(item) ? inner.slice(indent.length + 2) : inner}`;
      })
      .join('\n');
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return entries
      .map(([k, v]) => {
        const key = `${indent}${scalar(k)}:`;
        return isBlock(v) ? `${key}\n${toYaml(v, `${indent}  `)}` : `${key} ${scalar(v)}`;
      })
      .join('\n');
  }
  return scalar(value);
}

const isBlock = (v: unknown): boolean =>
  v !== null && typeof v === 'object' && !(v instanceof Date) && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);

export function formatData(data: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? JSON.stringify(data, null, 2) : toYaml(data);
}
