import { type TRPCDefaultErrorShape, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { ErrorCode } from './error-codes.ts';

/**
 * A tRPC refusal that also carries one of the server's own codes (error-codes.ts), answered in
 * `error.data.hisaaboCode` beside tRPC's `data.code`, so clients switch on it instead of the message.
 */
export class CodedTrpcError extends TRPCError {
  readonly hisaaboCode: ErrorCode;
  constructor(opts: { code: TRPCError['code']; hisaaboCode: ErrorCode; message: string }) {
    super({ code: opts.code, message: opts.message });
    this.hisaaboCode = opts.hisaaboCode;
  }
}

export interface ErrorData {
  /** The server's own code, when the refusal has one (see error-codes.ts). */
  hisaaboCode?: ErrorCode;
  /** For invalid input: messages per field path ("lines.0.quantity"). */
  fieldErrors?: Record<string, string[]>;
  requestId?: string;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'input' : path.map(String).join('.');
}

/**
 * Invalid input answers 400 with a message naming every bad field ("email: Invalid email address"),
 * and internal failures never show their details (stack, SQL) to the caller; the request id ties
 * the answer to the server log.
 */
export function formatError(opts: {
  shape: TRPCDefaultErrorShape;
  error: TRPCError;
  requestId: string | undefined;
}): TRPCDefaultErrorShape & { data: TRPCDefaultErrorShape['data'] & ErrorData } {
  const { shape, error, requestId } = opts;
  const { stack: _stack, ...data } = shape.data;
  const formatted = { ...shape, data: { ...data, requestId } as TRPCDefaultErrorShape['data'] & ErrorData };
  if (error instanceof CodedTrpcError) formatted.data.hisaaboCode = error.hisaaboCode;
  if (error.code === 'BAD_REQUEST' && error.cause instanceof ZodError) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of error.cause.issues) {
      const key = fieldPath(issue.path);
      fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
    }
    formatted.message = Object.entries(fieldErrors)
      .map(([key, messages]) => `${key}: ${messages.join(', ')}`)
      .join('; ');
    formatted.data.fieldErrors = fieldErrors;
  } else if (
    error.code === 'PARSE_ERROR' ||
    (error.code === 'BAD_REQUEST' && error.cause instanceof SyntaxError)
  ) {
    formatted.message = `input: not valid JSON (send a JSON body, or ?input=<URL-encoded JSON> for a query): ${error.message}`;
  } else if (error.code === 'INTERNAL_SERVER_ERROR') {
    formatted.message = `Internal server error${requestId ? ` (request ${requestId})` : ''}`;
  }
  return formatted;
}
