import { z } from 'zod';
import { ROLES } from '@hisaabo/db';
import { looksLikeUuid, passwordRule } from '@hisaabo/domain';

// Shared input schemas: one definition of each field, so every procedure validates it the same way.

export const emailInput = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'Invalid email address' }))
  .transform((email) => email.toLowerCase());

export const passwordInput = passwordRule;

export const personNameInput = z.string().trim().min(1, 'Required').max(100);

export const organizationNameInput = z.string().trim().min(1, 'Required').max(100);

/** Lowercase letters, digits and single hyphens; not shaped like an id, since ids and slugs share x-tenant-id. */
export const slugInput = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, 'Use at least 2 characters')
  .max(48, 'Use at most 48 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lowercase letters, digits and single hyphens, e.g. "my-company"')
  .refine((slug) => !looksLikeUuid(slug), 'A slug cannot look like an id');

/** An organization, by id or by slug. */
export const tenantRefInput = z.string().trim().min(1, 'Required').max(64);

export const idInput = z.uuid({ message: 'Invalid id' });

/** The input of a procedure that acts on one row: `{ id }`. */
export const byIdInput = z.object({ id: idInput });

export const roleInput = z.enum(ROLES);
