// Where the CLI finds the API and its key: flags, then VIRTFLEET_URL / VIRTFLEET_API_KEY, then
// a profile of the config file. `virtfleet login` writes that file, readable by its owner only.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export interface Profile {
  url?: string;
  apiKey?: string;
}

export interface ConfigFile {
  /** The profile used when neither --profile nor VIRTFLEET_PROFILE names one. */
  current?: string;
  profiles: Record<string, Profile>;
}

export const DEFAULT_URL = 'http://127.0.0.1:3000';

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VIRTFLEET_CONFIG) return env.VIRTFLEET_CONFIG;
  const base = env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(base, 'virtfleet', 'config.json');
}

export class ConfigError extends Error {}

export function readConfig(file: string): ConfigFile {
  if (!existsSync(file)) return { profiles: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const profiles = (parsed as ConfigFile | null)?.profiles;
  if (typeof profiles !== 'object' || profiles === null) throw new ConfigError(`${file} has no "profiles" object`);
  return parsed as ConfigFile;
}

/** Written with mode 0600 (and its directory 0700): the file holds API keys. */
export function writeConfig(file: string, config: ConfigFile): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // writeFileSync keeps the mode of a file that already existed.
  chmodSync(file, 0o600);
}

export interface Connection {
  url: string;
  apiKey: string | undefined;
  profile: string;
}

export function resolveConnection(
  flags: { url?: string; apiKey?: string; profile?: string },
  env: NodeJS.ProcessEnv = process.env,
): Connection {
  const config = readConfig(configPath(env));
  const name = flags.profile ?? env.VIRTFLEET_PROFILE ?? config.current ?? 'default';
  const profile = config.profiles[name];
  if ((flags.profile || env.VIRTFLEET_PROFILE) && !profile)
    throw new ConfigError(`no profile "${name}" in ${configPath(env)} (virtfleet login --profile ${name} creates it)`);
  return {
    url: (flags.url ?? env.VIRTFLEET_URL ?? profile?.url ?? DEFAULT_URL).replace(/\/+$/, ''),
    apiKey: flags.apiKey ?? env.VIRTFLEET_API_KEY ?? profile?.apiKey,
    profile: name,
  };
}
