import { eq } from 'drizzle-orm';
import { instanceSettings, newId, type Db } from '@hisaabo/db';

const INSTANCE_ID_KEY = 'instance_id';

/** This instance's id, written into every archive as its source; made once, on first need. */
export async function instanceId(db: Db): Promise<string> {
  await db
    .insert(instanceSettings)
    .values({ key: INSTANCE_ID_KEY, value: newId() })
    .onConflictDoNothing({ target: instanceSettings.key });
  const [row] = await db
    .select({ value: instanceSettings.value })
    .from(instanceSettings)
    .where(eq(instanceSettings.key, INSTANCE_ID_KEY));
  if (!row) throw new Error('instance id missing after insert');
  return row.value;
}
