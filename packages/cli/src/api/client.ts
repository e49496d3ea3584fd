import type { z } from 'zod';
import { CliError, type ErrorKind } from '../errors.ts';
import { networkError, unexpectedAnswer } from './failures.ts';
import { refusalByCode } from './refusals.ts';
import { trpcErrorSchema } from './schemas.ts';

const CALL_TIMEOUT_MS = 60_000;

export interface CallOptions {
  /** Sent as `x-tenant-id` (id or slug) for procedures that act inside one organization. */
  tenant?: string;
}

/**
 * The server's tRPC API over plain HTTP (no transformer): queries are GET `?input=<JSON>`, mutations
 * POST a JSON body, answers are `{result:{data}}` or `{error}`. Every answer is checked against a
 * schema, and every failure becomes a CliError with the exit code of its cause.
 */
export class ApiClient {
  constructor(
    readonly apiUrl: string,
    readonly token: string | undefined,
    /** Where the token came from, so an auth failure can say which one to fix. */
    readonly tokenSource?: 'HISAABO_TOKEN' | 'config' | 'flag',
  ) {}

  query<T extends z.ZodType>(
    path: string,
    input: unknown,
    schema: T,
    options?: CallOptions,
  ): Promise<z.infer<T>> {
    const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return this.call(
      path,
      { method: 'GET', url: `${this.apiUrl}/api/trpc/${path}${query}` },
      schema,
      options,
    );
  }

  mutation<T extends z.ZodType>(
    path: string,
    input: unknown,
    schema: T,
    options?: CallOptions,
  ): Promise<z.infer<T>> {
    const body = input === undefined ? undefined : JSON.stringify(input);
    return this.call(path, { method: 'POST', url: `${this.apiUrl}/api/trpc/${path}`, body }, schema, options);
  }

  /** Headers for every request: the bearer credential, and the CSRF marker the server asks of non-tRPC POSTs. */
  headers(options: CallOptions = {}): Record<string, string> {
    const headers: Record<string, string> = { 'x-requested-with': 'hisaabo' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.tenant) headers['x-tenant-id'] = options.tenant;
    return headers;
  }

  /** The server may answer relative URLs (`/api/export/…`); they are relative to the API URL. */
  resolve(url: string): string {
    return new URL(url, `${this.apiUrl}/`).toString();
  }

  /** Why an authenticated call was refused, with the fix for the credential actually in use. */
  loginHint(): string {
    if (this.tokenSource === 'HISAABO_TOKEN')
      return 'HISAABO_TOKEN was rejected: set a valid token or unset it';
    return `run \`hisaabo login --api-url ${this.apiUrl}\``;
  }

  private async call<T extends z.ZodType>(
    path: string,
    request: { method: 'GET' | 'POST'; url: string; body?: string },
    schema: T,
    options?: CallOptions,
  ): Promise<z.infer<T>> {
    const headers = this.headers(options);
    // tRPC refuses a POST without a content type, even one that carries no input.
    if (request.method === 'POST') headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers,
        body: request.body,
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
    } catch (error) {
      throw networkError(this.apiUrl, error);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw unexpectedAnswer(this.apiUrl, response.status, `to ${path}: not JSON`);
    }
    const failure = trpcErrorSchema.safeParse(json);
    if (failure.success) {
      const { message, data } = failure.data.error;
      throw this.trpcError(path, data?.code ?? '', data?.hisaaboCode, message, response.status);
    }
    const envelope = json as { result?: { data?: unknown } };
    if (!response.ok || !envelope || typeof envelope !== 'object' || !('result' in envelope)) {
      throw unexpectedAnswer(this.apiUrl, response.status, `to ${path}`);
    }
    const parsed = schema.safeParse(envelope.result?.data);
    if (!parsed.success) {
      throw unexpectedAnswer(
        this.apiUrl,
        response.status,
        `to ${path}: ${parsed.error.issues[0]?.message ?? ''}`,
      );
    }
    return parsed.data;
  }

  private trpcError(
    path: string,
    code: string,
    hisaaboCode: string | undefined,
    message: string,
    status: number,
  ): CliError {
    const kinds: Record<string, ErrorKind> = {
      UNAUTHORIZED: 'unauthorized',
      FORBIDDEN: 'forbidden',
      NOT_FOUND: 'not_found',
      TOO_MANY_REQUESTS: 'rate_limited',
      BAD_REQUEST: 'usage',
      PARSE_ERROR: 'usage',
      CONFLICT: 'usage',
      UNPROCESSABLE_CONTENT: 'usage',
      PAYLOAD_TOO_LARGE: 'bad_file',
    };
    const refusal = refusalByCode(hisaaboCode, message);
    if (refusal) return refusal;
    const kind = kinds[code] ?? (status >= 500 || code === '' ? 'server_error' : 'usage');
    if (kind === 'unauthorized' && (path === 'auth.login' || path === 'auth.register')) {
      return new CliError('unauthorized', message, { hint: 'check the email and password' });
    }
    if (kind === 'unauthorized') {
      const reason = this.token ? `${message} (${path})` : 'not logged in';
      return new CliError(this.token ? 'unauthorized' : 'not_logged_in', reason, { hint: this.loginHint() });
    }
    if (kind === 'server_error') {
      return new CliError(kind, `the server failed on ${path}: ${message}`, {
        hint: 'try again; if it persists, check the server log',
      });
    }
    return new CliError(kind, message);
  }
}
