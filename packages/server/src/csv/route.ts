import type { Context } from 'hono';
import { and, eq } from 'drizzle-orm';
import { businesses, type Database } from '@hisaabo/db';
import { findMembership, looksLikeUuid } from '@hisaabo/domain';
import { BackupHttpError, jsonErrorResponse } from '../backup/http-errors.ts';
import { linkSigner } from '../backup/settings.ts';
import { toWebStream } from '../backup/web-stream.ts';
import type { ServerConfig } from '../config.ts';
import type { AppEnv } from '../context.ts';
import { csvZipFileName } from './link.ts';
import { csvZip } from './zip.ts';
import { Readable } from 'node:stream';

/** GET /api/csv/:businessId?token=…: the business's CSV files as a ZIP, for a member's signed link. */
export function csvHandler(database: Database, config: ServerConfig) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const businessId = (c.req.param('businessId') ?? '').toLowerCase();
    let business: { tenantId: string; name: string };
    try {
      business = await authorize(database, config, c.req.query('token'), businessId);
    } catch (error) {
      if (error instanceof BackupHttpError) return jsonErrorResponse(error);
      throw error;
    }
    const zip = Readable.from(csvZip(database.db, { tenantId: business.tenantId, businessId }), {
      objectMode: false,
    });
    return new Response(
      toWebStream(zip, () => {}),
      {
        status: 200,
        headers: {
          'content-type': 'application/zip',
          'content-disposition': `attachment; filename="${csvZipFileName(business.name)}"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
      },
    );
  };
}

/** The link must be well signed, unexpired, for this business, and its user still a member. */
async function authorize(
  database: Database,
  config: ServerConfig,
  token: string | undefined,
  businessId: string,
): Promise<{ tenantId: string; name: string }> {
  if (!token)
    throw new BackupHttpError(401, 'TOKEN_MISSING', 'Missing token: add ?token=… from business.exportCsv');
  const verified = linkSigner(config).verify('csv', token);
  if (!verified.ok) {
    throw verified.reason === 'expired'
      ? new BackupHttpError(401, 'TOKEN_EXPIRED', 'The link has expired; request a new one')
      : new BackupHttpError(401, 'TOKEN_INVALID', 'Invalid token: not a CSV link issued by this server');
  }
  const { claims } = verified;
  if (!looksLikeUuid(businessId) || claims.businessId !== businessId) {
    throw new BackupHttpError(401, 'TOKEN_BUSINESS_MISMATCH', 'The link is for another business');
  }
  const membership = await findMembership(database.db, claims.userId, claims.tenantId);
  if (membership?.tenant.status !== 'active') {
    throw new BackupHttpError(
      401,
      'NOT_MEMBER',
      "The link's user is no longer a member of this organization",
    );
  }
  const [row] = await database.db
    .select({ name: businesses.name })
    .from(businesses)
    .where(and(eq(businesses.tenantId, claims.tenantId), eq(businesses.id, businessId)));
  if (!row) throw new BackupHttpError(404, 'BUSINESS_NOT_FOUND', 'Business not found');
  return { tenantId: claims.tenantId, name: row.name };
}
