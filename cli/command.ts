// What every command is: its words, its options (node:util parseArgs), one example, and run().
// Help, completion and argument checking are all derived from this one table.
import type { VirtfleetClient } from '../clients/typescript/index.js';
import type { OutputFormat, Style } from './output.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Shown in --help; `<value>` names the argument. */
  description: string;
  value?: string;
  /** Values offered by shell completion. */
  choices?: readonly string[];
}

export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Context {
  /** Built on first use, so `--help` and `completion` need no configuration. */
  client(): VirtfleetClient;
  format: OutputFormat;
  wait: boolean;
  style: Style;
  /** Progress (bars, steps) goes to stderr; a bar only when stderr is a terminal. */
  progressTTY: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Prints data as JSON/YAML, or the table render() draws. */
  print(data: unknown, render: () => string): void;
  /** The name this program was started as in examples and hints. */
  argv0: string;
}

export interface Command {
  words: [string, string] | [string];
  summary: string;
  /** Positional arguments as shown in usage, e.g. ['<host>']; '[x]' is optional, '<x...>' many. */
  args?: string[];
  options?: Record<string, OptionSpec>;
  example: string;
  run(ctx: Context, values: Values, args: string[]): Promise<void>;
}

/** Bad invocation: exit code 2 with the command's usage. */
export class UsageError extends Error {}

export const str = (v: Values[string]): string | undefined => (typeof v === 'string' ? v : undefined);
export const list = (v: Values[string]): string[] => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []);

export function int(v: Values[string], name: string): number | undefined {
  const s = str(v);
  if (s === undefined) return undefined;
  if (!/^-?\d+$/.test(s)) throw new UsageError(`--${name} must be a whole number, not "${s}"`);
  return Number(s);
}

export function num(v: Values[string], name: string): number | undefined {
  const s = str(v);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (s.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, not "${s}"`);
  return n;
}

/** `--label zone=a --label rack=3` → { zone: 'a', rack: '3' }. */
export function labels(v: Values[string], name = 'label'): Record<string, string> | undefined {
  const items = list(v);
  if (items.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${name} takes key=value, not "${item}"`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

export function oneOf<T extends string>(v: Values[string], name: string, allowed: readonly T[]): T | undefined {
  const s = str(v);
  if (s === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(s)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not "${s}"`);
  return s as T;
}
