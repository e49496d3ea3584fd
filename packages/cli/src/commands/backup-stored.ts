import { z } from 'zod';
import { transferTicketSchema } from '../api/schemas.ts';
import { type Output, formatBytes } from '../output.ts';
import { loggedIn, requireTenantRef, resolveOrganization } from '../session.ts';
import { startDownload } from '../transfer/download.ts';
import { checkWritableTarget, writeStreamAtomically } from '../transfer/file-output.ts';

const storedListSchema = z.looseObject({
  backups: z.array(
    z.looseObject({
      id: z.string(),
      trigger: z.string(),
      status: z.string(),
      fileName: z.string(),
      encrypted: z.boolean(),
      bytes: z.number().nullable(),
      totalRows: z.number().nullable(),
      createdAt: z.string(),
      error: z.string().nullable(),
      hookOutcome: z.string().nullable(),
    }),
  ),
});

export async function listStoredBackups(
  output: Output,
  flags: { tenant?: string; apiUrl?: string; json?: boolean },
): Promise<void> {
  const { settings, client } = loggedIn(flags);
  const organization = await resolveOrganization(client, requireTenantRef(settings));
  const { backups } = await client.query(
    'storedBackup.list',
    { tenantId: organization.id },
    storedListSchema,
  );
  const lines =
    backups.length === 0
      ? [`${organization.slug} has no stored backups yet: turn on automatic backups in Settings > Data.`]
      : backups.map((b) => {
          const size = b.bytes === null ? '' : formatBytes(b.bytes);
          const note = b.status === 'failed' ? `  ${b.error ?? ''}` : b.encrypted ? '  (age-encrypted)' : '';
          return `${b.id}  ${b.createdAt.slice(0, 19).replace('T', ' ')}  ${b.status.padEnd(8)}  ${b.trigger.padEnd(8)}  ${size.padStart(9)}${note}`;
        });
  output.result(lines, { organization: organization.slug, backups });
}

export async function downloadStoredBackup(
  output: Output,
  flags: { tenant?: string; apiUrl?: string; json?: boolean; id: string; output: string },
): Promise<void> {
  await checkWritableTarget(flags.output);
  const { settings, client } = loggedIn(flags);
  const organization = await resolveOrganization(client, requireTenantRef(settings));
  const ticket = await client.mutation(
    'storedBackup.requestDownload',
    { tenantId: organization.id, id: flags.id },
    transferTicketSchema,
  );
  const download = await startDownload(client, ticket.url);
  const file = await writeStreamAtomically(flags.output, [download.stream]);
  output.result(
    [
      `${output.out.green('Downloaded')} stored backup ${flags.id} of ${organization.slug} to ${file.path}`,
      `  size     ${formatBytes(file.bytes)} (${file.bytes} bytes)`,
      `  sha256   ${file.sha256}`,
    ],
    {
      ok: true,
      organization: organization.slug,
      id: flags.id,
      file: file.path,
      bytes: file.bytes,
      sha256: file.sha256,
    },
  );
}
