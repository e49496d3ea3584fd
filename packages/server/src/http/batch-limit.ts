import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';

/**
 * The most calls one tRPC batch (`/api/trpc/a,b,c?batch=1`) may carry. Batching lets a client
 * merge a page's queries; without a bound one request could ask for hundreds of calls (password
 * guesses, expensive reports) at the price of one.
 */
export const MAX_BATCH_CALLS = 10;

const PREFIX = '/api/trpc/';

/**
 * Refuses a batch of more than `max` calls with 400 before anything is parsed or any procedure runs,
 * for GET and POST alike.
 */
export function trpcBatchLimit(max: number = MAX_BATCH_CALLS): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    if (url.searchParams.get('batch') !== '1' || !url.pathname.startsWith(PREFIX)) return next();
    let paths = url.pathname.slice(PREFIX.length);
    try {
      paths = decodeURIComponent(paths);
    } catch {
      // Left as sent: tRPC answers a malformed path itself.
    }
    const calls = paths.split(',').length;
    if (calls <= max) return next();
    return c.json(
      {
        error: {
          message: `A batch may hold at most ${max} calls; this one holds ${calls}. Send the calls in smaller batches.`,
          code: -32600,
          data: { code: 'BAD_REQUEST', httpStatus: 400, requestId: c.get('requestId') },
        },
      },
      400,
    );
  };
}
