import { type ErrorCode, isErrorCode } from '@hisaabo/server/error-codes';
import { TRPCClientError } from '@trpc/client';

interface ErrorDataShape {
  code?: string;
  hisaaboCode?: string;
  httpStatus?: number;
  fieldErrors?: Record<string, string[]>;
  requestId?: string;
}

function dataOf(error: unknown): ErrorDataShape | undefined {
  if (error instanceof TRPCClientError) return (error.data ?? undefined) as ErrorDataShape | undefined;
  return undefined;
}

/** The tRPC error code ("FORBIDDEN", "TOO_MANY_REQUESTS"...), if the error came from the server. */
export function errorCode(error: unknown): string | undefined {
  return dataOf(error)?.code;
}

/** The server's own code ("TARGET_NOT_EMPTY"...), when the refusal carries one. */
export function hisaaboCode(error: unknown): ErrorCode | undefined {
  const code = dataOf(error)?.hisaaboCode;
  return isErrorCode(code) ? code : undefined;
}

/** Messages per input field, for showing next to the field that is wrong. */
export function fieldErrors(error: unknown): Record<string, string[]> {
  return dataOf(error)?.fieldErrors ?? {};
}

/**
 * A sentence a user can act on. The server already words its messages for people, so they are shown
 * as they are; only transport failures, which carry no server message, are put into words here.
 */
export function describeError(error: unknown): string {
  if (error instanceof TRPCClientError) {
    if (!error.data && /fetch|network/i.test(error.message)) {
      return 'Cannot reach the server. Check your connection and try again.';
    }
    return forPeople(error.message);
  }
  if (error instanceof Error) return forPeople(error.message);
  return String(error);
}

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g;

/** A server message as a person reads it: with instants in the reader's own time zone. */
export function forPeople(message: string): string {
  return message.replace(ISO_INSTANT, (instant) =>
    new Date(instant).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
  );
}
