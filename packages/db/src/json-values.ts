/**
 * Limits every JSON value stored in a `jsonb` column obeys, whether it comes from the API or from a
 * backup archive. PostgreSQL parses `jsonb` recursively, so a value nested thousands deep fails
 * inside the database with "stack depth limit exceeded" instead of being refused with its place; the
 * application's own values (settings, line items, audit details) are a few levels deep.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Why `value` cannot be stored as `jsonb`, or null when it can: nested deeper than MAX_JSON_DEPTH
 * arrays/objects, or a string or key holding a lone UTF-16 surrogate (which has no UTF-8 form and
 * would be changed to U+FFFD on its way into the database). Walks with its own stack, so even a
 * value nested far deeper than the limit costs no recursion.
 */
export function jsonValueProblem(value: unknown): string | null {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: v, depth } = next;
    if (typeof v === 'string') {
      if (!v.isWellFormed()) return 'a string holds a lone UTF-16 surrogate (not valid Unicode)';
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > MAX_JSON_DEPTH) {
      return `nested deeper than the maximum of ${MAX_JSON_DEPTH} levels of arrays and objects`;
    }
    if (Array.isArray(v)) {
      for (const item of v) pending.push({ value: item, depth: depth + 1 });
      continue;
    }
    for (const [key, item] of Object.entries(v)) {
      if (!key.isWellFormed()) return 'a key holds a lone UTF-16 surrogate (not valid Unicode)';
      pending.push({ value: item, depth: depth + 1 });
    }
  }
  return null;
}
