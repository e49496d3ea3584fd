import type { Command } from 'commander';
import { meSchema, type Me } from '../api/schemas.ts';
import { apiUrlOption, jsonOption } from '../options.ts';
import type { Output } from '../output.ts';
import { action } from '../run.ts';
import { loggedIn } from '../session.ts';

export function registerWhoami(program: Command): void {
  const command = program.command('whoami').description('show the logged-in account and its organizations');
  apiUrlOption(command);
  jsonOption(command);
  command.action(action(whoami));
}

async function whoami(output: Output, flags: { apiUrl?: string; json?: boolean }): Promise<void> {
  const { settings, client } = loggedIn(flags);
  const me = await client.query('auth.me', undefined, meSchema);
  output.result(
    [
      `${me.user.name} <${me.user.email}> on ${settings.apiUrl}${me.authenticatedWith === 'apiKey' ? ' (API key)' : ''}${
        settings.tokenSource === 'HISAABO_TOKEN' ? ' (from HISAABO_TOKEN)' : ''
      }`,
      ...organizationLines(me, settings.tenant),
    ],
    { ok: true, apiUrl: settings.apiUrl, ...me, defaultTenant: settings.tenant ?? null },
  );
}

/** The organizations of an account, the default one marked; or how to get a first one. */
export function organizationLines(me: Me, defaultTenant: string | undefined): string[] {
  if (me.organizations.length === 0) {
    return [
      'No organization yet: create one with `hisaabo tenant create --slug <slug>`,',
      'or create one and restore a backup into it with `hisaabo restore --tenant <slug> -i <file>`.',
    ];
  }
  return [
    'Organizations:',
    ...me.organizations.map((o) => {
      const mark = defaultTenant && (o.slug === defaultTenant || o.id === defaultTenant) ? '*' : ' ';
      return ` ${mark} ${o.slug}  ${o.name}${o.role ? `  (${o.role})` : ''}`;
    }),
  ];
}
