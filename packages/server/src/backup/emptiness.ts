/**
 * The organization tables that hold rows of this organization (empty when it can be restored into).
 * An early, friendly check only: the restore engine checks again under a lock inside its transaction.
 */
export { tablesWithRows as tablesWithData } from '@hisaabo/db';

export function targetNotEmptyMessage(tables: readonly string[]): string {
  return `The organization already has data (in ${tables.join(', ')}); a backup can only be restored into an empty organization. Create a new organization and restore into it.`;
}
