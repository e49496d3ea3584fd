import { ApiClient } from './api/client.ts';
import { organizationListSchema, type Organization } from './api/schemas.ts';
import { resolveSettings, type Settings } from './config.ts';
import { CliError, usageError } from './errors.ts';

export interface ConnectionFlags {
  apiUrl?: string;
  tenant?: string;
}

/** A client for the configured server, with whatever credential is in force (maybe none). */
export function clientFor(settings: Settings): ApiClient {
  return new ApiClient(settings.apiUrl, settings.token, settings.tokenSource);
}

/** The settings and a client that carries a credential; exit 1 with the way to log in otherwise. */
export function loggedIn(flags: ConnectionFlags): { settings: Settings; client: ApiClient } {
  const settings = resolveSettings(flags);
  if (!settings.token) {
    throw new CliError('not_logged_in', `not logged in to ${settings.apiUrl}`, {
      hint: `run \`hisaabo login --api-url ${settings.apiUrl}\` (or set HISAABO_TOKEN)`,
    });
  }
  return { settings, client: clientFor(settings) };
}

/** The organization a command acts on: --tenant, else HISAABO_TENANT, else `hisaabo tenant select`. */
export function requireTenantRef(settings: Settings): string {
  if (!settings.tenant) {
    throw usageError(
      'no organization given',
      'pass --tenant <slug>, set HISAABO_TENANT, or choose one with `hisaabo tenant select <slug>`',
    );
  }
  return settings.tenant;
}

/** Finds an organization of the caller by slug or id; the message says how to create it if it is not there. */
export async function resolveOrganization(client: ApiClient, ref: string): Promise<Organization> {
  const organizations = await client.query('tenant.list', undefined, organizationListSchema);
  const wanted = ref.trim();
  const found = organizations.find((o) => o.slug === wanted || o.id === wanted.toLowerCase());
  if (found) return found;
  const known = organizations.map((o) => o.slug).join(', ');
  return Promise.reject(
    new CliError('not_found', `organization ${wanted} not found${known ? ` (yours: ${known})` : ''}`, {
      hint: `create it with \`hisaabo tenant create --slug ${wanted}\`, or ask its owner to add you`,
    }),
  );
}
