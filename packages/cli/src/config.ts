import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { usageError } from './errors.ts';

export const DEFAULT_API_URL = 'http://localhost:3000';

/** What `hisaabo login` remembers. Unknown keys (from a newer CLI) are kept, not rejected. */
const storedConfigSchema = z.looseObject({
  apiUrl: z.url().optional(),
  token: z.string().min(1).optional(),
  /** 'session' tokens are revoked on logout; 'apiKey' tokens are only forgotten. */
  tokenKind: z.enum(['session', 'apiKey']).optional(),
  email: z.string().optional(),
  /** The organization commands use when `--tenant` is not given (`hisaabo tenant select`). */
  tenant: z.string().min(1).optional(),
});

export type StoredConfig = z.infer<typeof storedConfigSchema>;

/** `$XDG_CONFIG_HOME/hisaabo/config.json`, else `~/.config/hisaabo/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'hisaabo', 'config.json');
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): StoredConfig {
  const file = configPath(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw usageError(`cannot read ${file}: ${(error as Error).message}`, 'check its permissions');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw usageError(`${file} is not valid JSON`, 'fix it, or delete it and run `hisaabo login` again');
  }
  const parsed = storedConfigSchema.safeParse(json);
  if (!parsed.success) {
    const problem = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw usageError(`${file} is invalid (${problem})`, 'fix it, or delete it and run `hisaabo login` again');
  }
  return parsed.data;
}

/**
 * Writes the whole file atomically with mode 0600 inside a 0700 directory: it holds a bearer token,
 * so no other local user may read it, and a crash mid-write must not leave half a file.
 */
export function writeConfig(config: StoredConfig, env: NodeJS.ProcessEnv = process.env): string {
  const file = configPath(env);
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return file;
}

export function updateConfig(change: (config: StoredConfig) => StoredConfig, env = process.env): string {
  return writeConfig(change(readConfig(env)), env);
}

/** Settings in force for one command: flags beat environment variables beat the config file. */
export interface Settings {
  apiUrl: string;
  token: string | undefined;
  tenant: string | undefined;
  /** Where the token came from, for messages ("HISAABO_TOKEN is rejected…"). */
  tokenSource: 'HISAABO_TOKEN' | 'config' | undefined;
}

export function normalizeApiUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(
      `invalid API URL "${url}"`,
      'pass the server address, e.g. --api-url http://localhost:3000',
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw usageError(`invalid API URL "${url}": only http and https are supported`);
  }
  return parsed.toString().replace(/\/+$/, '');
}

/** Which server a command talks to: `--api-url`, else HISAABO_API_URL, else the saved login, else the default. */
export function chooseApiUrl(
  flag: string | undefined,
  stored: StoredConfig,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return normalizeApiUrl(flag ?? env.HISAABO_API_URL ?? stored.apiUrl ?? DEFAULT_API_URL);
}

export function resolveSettings(
  flags: { apiUrl?: string; tenant?: string },
  env: NodeJS.ProcessEnv = process.env,
): Settings {
  const config = readConfig(env);
  const apiUrl = chooseApiUrl(flags.apiUrl, config, env);
  let token: string | undefined;
  let tokenSource: Settings['tokenSource'];
  if (env.HISAABO_TOKEN) {
    token = env.HISAABO_TOKEN;
    tokenSource = 'HISAABO_TOKEN';
  } else if (config.token && config.apiUrl && normalizeApiUrl(config.apiUrl) === apiUrl) {
    // A stored token is sent only to the server that issued it, never to another --api-url.
    token = config.token;
    tokenSource = 'config';
  }
  const tenant = flags.tenant ?? (env.HISAABO_TENANT || env.HISAABO_TENANT_ID || config.tenant);
  return { apiUrl, token, tenant, tokenSource };
}
