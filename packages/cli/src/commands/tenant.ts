import type { Command } from 'commander';
import { organizationListSchema, organizationSchema } from '../api/schemas.ts';
import { updateConfig } from '../config.ts';
import { apiUrlOption, jsonOption } from '../options.ts';
import type { Output } from '../output.ts';
import { action } from '../run.ts';
import { loggedIn, resolveOrganization } from '../session.ts';

export function registerTenantCommands(program: Command): void {
  const tenant = program
    .command('tenant')
    .description('list, create and select organizations')
    .addHelpText(
      'after',
      '\nExamples:\n  hisaabo tenant list\n  hisaabo tenant create --slug new-company --name "New Company"\n  hisaabo tenant select my-company',
    );

  const list = tenant.command('list').description('the organizations you belong to, with your role');
  apiUrlOption(list);
  jsonOption(list);
  list.action(action(listTenants));

  const create = tenant
    .command('create')
    .description('create an organization with you as its owner')
    .requiredOption(
      '--slug <slug>',
      'short unique name: lowercase letters, digits and hyphens (e.g. my-company)',
    )
    .option('--name <name>', 'display name (default: the slug)');
  apiUrlOption(create);
  jsonOption(create);
  create.action(action(createTenant));

  const select = tenant
    .command('select')
    .description('make an organization the default for commands without --tenant')
    .argument('<slug|id>', 'the organization');
  apiUrlOption(select);
  jsonOption(select);
  select.action(action(selectTenant));
}

async function listTenants(output: Output, flags: { apiUrl?: string; json?: boolean }): Promise<void> {
  const { settings, client } = loggedIn(flags);
  const organizations = await client.query('tenant.list', undefined, organizationListSchema);
  const width = Math.max(4, ...organizations.map((o) => o.slug.length));
  const lines =
    organizations.length === 0
      ? ['No organization yet: create one with `hisaabo tenant create --slug <slug>`.']
      : organizations.map((o) => {
          const mark = settings.tenant === o.slug || settings.tenant === o.id ? '*' : ' ';
          return `${mark} ${o.slug.padEnd(width)}  ${(o.role ?? '').padEnd(6)}  ${o.id}  ${o.name}`;
        });
  output.result(lines, organizations);
}

async function createTenant(
  output: Output,
  flags: { apiUrl?: string; json?: boolean; slug: string; name?: string },
): Promise<void> {
  const { client } = loggedIn(flags);
  const created = await client.mutation(
    'tenant.create',
    { slug: flags.slug, name: flags.name ?? flags.slug },
    organizationSchema,
  );
  output.result(
    [
      `${output.out.green('Created')} organization ${created.slug} (${created.name}), id ${created.id}; you are its owner.`,
      `It is empty: restore a backup into it with \`hisaabo restore --tenant ${created.slug} -i <file>\`.`,
    ],
    created,
  );
}

async function selectTenant(
  output: Output,
  flags: { apiUrl?: string; json?: boolean },
  ref: string,
): Promise<void> {
  const { settings, client } = loggedIn(flags);
  const organization = await resolveOrganization(client, ref);
  // The server remembers it for the session too (the web app follows it); an API key is fixed to one.
  if (!settings.token?.startsWith('hsk_')) {
    await client.mutation('tenant.select', { tenantId: organization.id }, organizationSchema.nullable());
  }
  updateConfig((config) => ({ ...config, tenant: organization.slug }));
  output.result(
    [`Commands now act on ${organization.slug} (${organization.name}) unless --tenant says otherwise.`],
    {
      ok: true,
      tenant: organization,
    },
  );
}
