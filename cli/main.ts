// The `virtfleet` command line: nouns and verbs over the public API, through the generated
// client only. Exit codes: 0 ok, 1 the API refused (or could not be reached), 2 usage.
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { createVirtfleetClient, unwrap, VirtfleetProblemError, type VirtfleetClient } from '../clients/typescript/index.js';
import { activityCommands } from './activity.js';
import { type Command, type Context, type OptionSpec, str, UsageError, type Values } from './command.js';
import { bashCompletion, zshCompletion } from './completion.js';
import { ConfigError, configPath, DEFAULT_URL, readConfig, resolveConnection, writeConfig } from './config.js';
import { hostCommands } from './hosts.js';
import { instanceCommands } from './instances.js';
import { allPages } from './lookup.js';
import { formatData, type OutputFormat, styleFor } from './output.js';
import { planCommands } from './plans.js';

const PROGRAM = 'virtfleet';

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  output: { type: 'string', short: 'o', value: 'format', description: 'table (default), json or yaml', choices: ['table', 'json', 'yaml'] },
  profile: { type: 'string', value: 'name', description: 'config file profile (default: the one login chose, or VIRTFLEET_PROFILE)' },
  url: { type: 'string', value: 'url', description: `API base URL (default: VIRTFLEET_URL, the profile, or ${DEFAULT_URL})` },
  'api-key': { type: 'string', value: 'key', description: 'API key (default: VIRTFLEET_API_KEY or the profile)' },
  'no-wait': { type: 'boolean', description: 'start long work and return at once (with how to follow it)' },
  help: { type: 'boolean', short: 'h', description: 'this help' },
};

const loginCommand: Command = {
  words: ['login'],
  summary: 'Check an API key against the API and store it in a profile (file mode 0600)',
  example: 'echo "$KEY" | virtfleet login --url https://virtfleet.example:3000 --profile prod',
  async run(ctx, v) {
    const file = configPath();
    const config = readConfig(file);
    const profile = str(v.profile) ?? process.env.VIRTFLEET_PROFILE ?? config.current ?? 'default';
    const url = (str(v.url) ?? process.env.VIRTFLEET_URL ?? config.profiles[profile]?.url ?? DEFAULT_URL).replace(/\/+$/, '');
    const apiKey = str(v['api-key']) ?? (await readKey());
    if (!apiKey) throw new UsageError('login needs an API key: --api-key, or on standard input');
    // Any listing proves the key; a wrong one is a 401 problem like every other refusal.
    await unwrap(createVirtfleetClient(url, { apiKey }).GET('/api/v1/hosts', { params: { query: { limit: 1 } } }));
    config.profiles[profile] = { url, apiKey };
    config.current = profile;
    writeConfig(file, config);
    ctx.print({ profile, url, config: file }, () => `logged in to ${url} as profile "${profile}" (key stored in ${file}, mode 0600)`);
  },
};

async function readKey(): Promise<string | undefined> {
  if (process.stdin.isTTY) process.stderr.write('API key: ');
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line.trim() || undefined;
  }
  return undefined;
}

const completionCommand: Command = {
  words: ['completion'],
  summary: 'Print a shell completion script (bash or zsh)',
  args: ['<bash|zsh>'],
  example: 'source <(virtfleet completion bash)    # or in ~/.zshrc: source <(virtfleet completion zsh)',
  async run(ctx, _v, [shell]) {
    if (shell === 'bash') ctx.stdout(bashCompletion(PROGRAM, COMMANDS, GLOBAL_OPTIONS));
    else if (shell === 'zsh') ctx.stdout(zshCompletion(PROGRAM, COMMANDS, GLOBAL_OPTIONS));
    else throw new UsageError('completion takes bash or zsh');
  },
};

/** Names for shell completion (`virtfleet __names host`); silent when the API cannot be asked. */
const namesCommand: Command = {
  words: ['__names'],
  summary: '',
  args: ['<host|instance>'],
  example: '',
  async run(ctx, _v, [noun]) {
    const client = ctx.client();
    const items =
      noun === 'host'
        ? await allPages((cursor) => unwrap(client.GET('/api/v1/hosts', { params: { query: { limit: 200, cursor } } })), 1000)
        : await allPages((cursor) => unwrap(client.GET('/api/v1/instances', { params: { query: { limit: 200, cursor } } })), 1000);
    ctx.stdout(items.map((i) => `${i.name}\n`).join(''));
  },
};

export const COMMANDS: Command[] = [
  ...hostCommands,
  ...instanceCommands,
  ...planCommands,
  ...activityCommands,
  loginCommand,
  completionCommand,
  namesCommand,
];
const NOUNS = [...new Set(COMMANDS.filter((c) => c.summary).map((c) => c.words[0]))];

const usageLine = (c: Command) =>
  `${PROGRAM} ${c.words.join(' ')}${(c.args ?? []).map((a) => ` ${a}`).join('')}${c.options ? ' [options]' : ''}`;

function optionLines(options: Record<string, OptionSpec>): string[] {
  const left = Object.entries(options).map(
    ([name, o]) => `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` <${o.value ?? 'value'}>` : ''}`,
  );
  const width = Math.max(...left.map((l) => l.length));
  return Object.values(options).map((o, i) => `  ${left[i]!.padEnd(width)}  ${o.description}${o.multiple ? ' (repeatable)' : ''}`);
}

function commandHelp(c: Command): string {
  return [
    `${c.summary}\n`,
    `Usage: ${usageLine(c)}`,
    '',
    ...(c.options ? ['Options:', ...optionLines(c.options), ''] : []),
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Example:',
    `  ${c.example}`,
    '',
  ].join('\n');
}

function overview(noun?: string): string {
  const shown = COMMANDS.filter((c) => c.summary && (!noun || c.words[0] === noun));
  const width = Math.max(...shown.map((c) => c.words.join(' ').length));
  const lines = shown.map((c) => `  ${c.words.join(' ').padEnd(width)}  ${c.summary}`);
  return [
    noun
      ? `Usage: ${PROGRAM} ${noun} <verb> [options]\n`
      : `virtfleet: the fleet from the command line (names or ids wherever an id is taken)\n\nUsage: ${PROGRAM} <noun> <verb> [args] [options]\n`,
    'Commands:',
    ...lines,
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    `Configuration: --url/--api-key, else VIRTFLEET_URL/VIRTFLEET_API_KEY, else the profile in ${configPath()}.`,
    'Exit codes: 0 ok, 1 the API refused (its problem title and detail printed) or could not be reached, 2 usage.',
    `Example:\n  ${noun ? shown[0]!.example : 'virtfleet host list'}`,
    `More: ${PROGRAM} <noun> <verb> --help`,
    '',
  ].join('\n');
}

interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  stdoutTTY: boolean;
  stderrTTY: boolean;
}

const processIo: Io = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  stdoutTTY: process.stdout.isTTY === true,
  stderrTTY: process.stderr.isTTY === true,
};

function findCommand(words: string[]): Command | undefined {
  return COMMANDS.find((c) => (c.words.length === 2 ? c.words[0] === words[0] && c.words[1] === words[1] : c.words[0] === words[0]));
}

function toParseArgsOptions(options: Record<string, OptionSpec>) {
  return Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short ? { short: o.short } : {}), multiple: o.multiple === true },
    ]),
  );
}

function checkArgs(c: Command, args: string[]): void {
  const spec = c.args ?? [];
  const required = spec.filter((a) => a.startsWith('<')).length;
  if (args.length < required || args.length > spec.length) {
    throw new UsageError(
      `${c.words.join(' ')} takes ${spec.join(' ') || 'no arguments'}${args.length > spec.length ? `; "${args.slice(spec.length).join(' ')}" is extra` : ''}`,
    );
  }
}

/** Runs one command line; returns the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  // First pass: only to find the words; options are checked against the command's own list.
  const loose = parseArgs({ args: argv, options: toParseArgsOptions(GLOBAL_OPTIONS), strict: false, allowPositionals: true });
  const words = loose.positionals;
  const command = findCommand(words);
  const style = styleFor(io.stderrTTY);
  try {
    if (!command) {
      if (words.length === 0 || (words.length === 1 && NOUNS.includes(words[0]!))) {
        const text = overview(words[0]);
        if (loose.values.help) {
          io.stdout(text);
          return 0;
        }
        io.stderr(text);
        return 2;
      }
      throw new UsageError(`unknown command "${words.slice(0, 2).join(' ')}" (${PROGRAM} --help lists them)`);
    }
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: toParseArgsOptions({ ...GLOBAL_OPTIONS, ...command.options }),
        strict: true,
        allowPositionals: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const values = parsed.values as Values;
    if (values.help) {
      io.stdout(commandHelp(command));
      return 0;
    }
    const args = parsed.positionals.slice(command.words.length);
    checkArgs(command, args);
    const format = (str(values.output) ?? 'table') as OutputFormat;
    if (!['table', 'json', 'yaml'].includes(format)) throw new UsageError(`--output must be table, json or yaml, not "${format}"`);
    let client: VirtfleetClient | undefined;
    let baseUrl = '';
    const ctx: Context = {
      client() {
        if (!client) {
          const connection = resolveConnection({ url: str(values.url), apiKey: str(values['api-key']), profile: str(values.profile) });
          baseUrl = connection.url;
          client = createVirtfleetClient(connection.url, { apiKey: connection.apiKey });
        }
        return client;
      },
      format,
      wait: values['no-wait'] !== true,
      style: styleFor(io.stdoutTTY),
      progressTTY: io.stderrTTY,
      stdout: io.stdout,
      stderr: io.stderr,
      argv0: PROGRAM,
      print(data, render) {
        if (format === 'table') {
          const text = render();
          if (text) io.stdout(`${text}\n`);
        } else io.stdout(`${formatData(data, format)}\n`);
      },
    };
    try {
      await command.run(ctx, values, args);
    } catch (error) {
      if (error instanceof TypeError && /fetch failed/.test(error.message)) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new VirtfleetProblemError({
          type: 'about:blank',
          title: 'API unreachable',
          status: 0,
          detail: `cannot reach ${baseUrl}: ${cause?.code ?? cause?.message ?? error.message}`,
        });
      }
      throw error;
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr(`${style.red('error:')} ${error.message}\n`);
      if (command && error instanceof UsageError)
        io.stderr(`usage: ${usageLine(command)}\n(${PROGRAM} ${command.words.join(' ')} --help for more)\n`);
      return 2;
    }
    if (error instanceof VirtfleetProblemError) {
      // Title and detail exactly as the API wrote them: scripts and people read the same words.
      io.stderr(`${style.red('error:')} ${error.title}${error.status ? ` (${error.status})` : ''}\n`);
      if (error.detail) io.stderr(`${error.detail}\n`);
      for (const e of error.errors ?? []) io.stderr(`  ${typeof e === 'string' ? e : `${e.path}: ${e.message}`}\n`);
      if (error.requestId) io.stderr(style.dim(`request ${error.requestId}\n`));
      return 1;
    }
    throw error;
  }
}
