import { asc, eq } from 'drizzle-orm';
import { tenants, type Db } from '@hisaabo/db';

/** Every active organization, oldest first (what `hisaabo backup run --all` backs up). */
export async function listActiveTenants(db: Db): Promise<{ id: string; slug: string; name: string }[]> {
  return db
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name })
    .from(tenants)
    .where(eq(tenants.status, 'active'))
    .orderBy(asc(tenants.createdAt), asc(tenants.id));
}
