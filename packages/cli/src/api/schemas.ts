import { z } from 'zod';

// The server's answers, validated before use: a proxy's HTML page or an older server must produce a
// clear message, not a crash deep inside a command.

export const roleSchema = z.enum(['owner', 'admin', 'member', 'viewer']).or(z.string());

export const userSchema = z.looseObject({ id: z.string(), email: z.string(), name: z.string() });

export const organizationSchema = z.looseObject({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  status: z.string().optional(),
  role: roleSchema.optional(),
});
export type Organization = z.infer<typeof organizationSchema>;

export const sessionSchema = z.looseObject({ user: userSchema, sessionToken: z.string().min(1) });

export const meSchema = z.looseObject({
  user: userSchema,
  authenticatedWith: z.string().optional(),
  organizations: z.array(organizationSchema).default([]),
  selectedOrganization: organizationSchema.nullable().optional(),
});
export type Me = z.infer<typeof meSchema>;

export const organizationListSchema = z.array(organizationSchema);

export const transferTicketSchema = z.looseObject({
  token: z.string().min(1),
  url: z.string().min(1),
  expiresAt: z.union([z.string(), z.number()]).optional(),
});

const archiveErrorSchema = z.looseObject({
  table: z.string().nullish(),
  line: z.number().nullish(),
  row: z.number().nullish(),
  column: z.string().nullish(),
  message: z.string(),
});
export type ArchiveErrorEntry = z.infer<typeof archiveErrorSchema>;

const warningSchema = z.union([
  z.string(),
  z.looseObject({ table: z.string().nullish(), message: z.string(), context: z.unknown().optional() }),
]);
export type WarningEntry = z.infer<typeof warningSchema>;

export const restoreSuccessSchema = z.looseObject({
  ok: z.literal(true),
  rowsInserted: z.record(z.string(), z.number()).default({}),
  warnings: z.array(warningSchema).default([]),
  durationMs: z.number().optional(),
  source: z.record(z.string(), z.unknown()).nullish(),
  compatibility: z.record(z.string(), z.unknown()).nullish(),
  recurringPaused: z.number().optional(),
  pausedRecurringTemplates: z.number().optional(),
});
export type RestoreSuccess = z.infer<typeof restoreSuccessSchema>;

export const restoreFailureSchema = z.looseObject({
  ok: z.literal(false).optional(),
  error: z.string().optional(),
  message: z.string().optional(),
  errors: z.array(archiveErrorSchema).default([]),
  warnings: z.array(warningSchema).default([]),
});

/** Non-tRPC routes answer errors as `{error, message}`. */
export const httpErrorSchema = z.looseObject({
  error: z.string().optional(),
  message: z.string().optional(),
});

export const trpcErrorSchema = z.looseObject({
  error: z.looseObject({
    message: z.string(),
    code: z.number().optional(),
    data: z
      .looseObject({
        code: z.string().optional(),
        /** The server's own code (see the server's error-codes.ts); absent on older servers. */
        hisaaboCode: z.string().optional(),
        httpStatus: z.number().optional(),
        path: z.string().optional(),
      })
      .optional(),
  }),
});

/** Where a problem is in an archive, as both the engine and the server's 422 answer describe it. */
export interface ArchiveProblem {
  table?: string | null;
  line?: number | null;
  row?: number | null;
  column?: string | null;
  message: string;
}

export function formatArchiveError(entry: ArchiveProblem): string {
  const where = [
    entry.table,
    entry.line != null ? `line ${entry.line}` : entry.row != null ? `row ${entry.row}` : undefined,
    entry.column ? `column ${entry.column}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return where ? `${where}: ${entry.message}` : entry.message;
}

export function formatWarning(entry: string | { table?: string | null; message: string }): string {
  if (typeof entry === 'string') return entry;
  return entry.table ? `${entry.table}: ${entry.message}` : entry.message;
}

export const okSchema = z.unknown();
