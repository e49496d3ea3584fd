import { randomBytes } from 'node:crypto';
import { appRouter } from '../../src/routers/index.ts';

/** How a test call authenticates and which organization/business it targets. */
export interface CallOptions {
  /** Sent as `Authorization: Bearer <token>` (session token or API key). */
  token?: string;
  /** A full Cookie header value, e.g. `hisaabo_session=...`. */
  cookie?: string;
  tenantId?: string;
  businessId?: string;
  /** Send `X-Requested-With: hisaabo` (default true; set false to test the CSRF guard). */
  csrf?: boolean;
  /** Force the HTTP method; by default it follows the procedure's kind. */
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
}

export interface TrpcError {
  message: string;
  code: number;
  data: {
    code: string;
    hisaaboCode?: string;
    httpStatus: number;
    path?: string;
    fieldErrors?: Record<string, string[]>;
  };
}

export interface CallResult<T = unknown> {
  status: number;
  /** The parsed JSON body (or the raw text when it is not JSON). */
  body: unknown;
  /** `body.result.data` on success. */
  data: T;
  /** `body.error` on failure. */
  error: TrpcError | undefined;
  headers: Headers;
}

type ProcedureType = 'query' | 'mutation' | 'subscription';

/** The kind of a procedure of the app router ('auth.me' → query), to pick GET or POST. */
export function procedureType(path: string): ProcedureType | undefined {
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: ProcedureType } }
  >;
  return procedures[path]?._def.type;
}

/**
 * Calls a procedure over real HTTP the way curl would, with no transformer: queries as
 * GET `?input=<url-encoded JSON>`, mutations as POST with a JSON body.
 */
export async function call<T = unknown>(
  baseUrl: string,
  path: string,
  input?: unknown,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const method = options.method ?? (procedureType(path) === 'query' ? 'GET' : 'POST');
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  if (options.tenantId) headers['x-tenant-id'] = options.tenantId;
  if (options.businessId) headers['x-business-id'] = options.businessId;
  if (options.csrf !== false) headers['x-requested-with'] = 'hisaabo';
  let url = `${baseUrl}/api/trpc/${path}`;
  let body: string | undefined;
  if (method === 'GET') {
    if (input !== undefined) url += `?input=${encodeURIComponent(JSON.stringify(input))}`;
  } else {
    headers['content-type'] = 'application/json';
    body = input === undefined ? undefined : JSON.stringify(input);
  }
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  const envelope = (parsed ?? {}) as { result?: { data?: T }; error?: TrpcError };
  return {
    status: response.status,
    body: parsed,
    data: envelope.result?.data as T,
    error: envelope.error,
    headers: response.headers,
  };
}

/** Like `call`, but throws with the server's message unless the call succeeded. */
export async function ok<T = unknown>(
  baseUrl: string,
  path: string,
  input?: unknown,
  options?: CallOptions,
): Promise<T> {
  const result = await call<T>(baseUrl, path, input, options);
  if (result.status !== 200) {
    throw new Error(`${path} answered ${result.status}: ${JSON.stringify(result.body)}`);
  }
  return result.data;
}

export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

export interface TestUser {
  id: string;
  email: string;
  name: string;
  password: string;
  /** The session token, for `Authorization: Bearer`. */
  token: string;
  /** The session cookie as a Cookie header value. */
  cookie: string;
}

/** Registers a new account (unique email unless given) and returns its session. */
export async function registerUser(
  baseUrl: string,
  overrides: { email?: string; name?: string; password?: string } = {},
): Promise<TestUser> {
  const email = overrides.email ?? `user-${uniqueSuffix()}@example.com`;
  const name = overrides.name ?? 'Test User';
  const password = overrides.password ?? 'correct horse battery';
  const result = await call<{ user: { id: string }; sessionToken: string }>(baseUrl, 'auth.register', {
    email,
    name,
    password,
  });
  if (result.status !== 200)
    throw new Error(`auth.register answered ${result.status}: ${JSON.stringify(result.body)}`);
  const setCookie = result.headers.get('set-cookie') ?? '';
  return {
    id: result.data.user.id,
    email,
    name,
    password,
    token: result.data.sessionToken,
    cookie: setCookie.split(';')[0]!,
  };
}

export interface TestTenant {
  id: string;
  name: string;
  slug: string;
}

/** Creates an organization owned by the user of `token`. */
export async function createTenant(
  baseUrl: string,
  token: string,
  overrides: { name?: string; slug?: string } = {},
): Promise<TestTenant> {
  const slug = overrides.slug ?? `org-${uniqueSuffix()}`;
  return ok<TestTenant>(baseUrl, 'tenant.create', { name: overrides.name ?? `Org ${slug}`, slug }, { token });
}

/**
 * Makes an existing user a member of an organization with a role: the caller (who must be allowed
 * to) invites the user's email, and the user accepts with their own session.
 */
export async function addMember(
  baseUrl: string,
  token: string,
  tenantId: string,
  invitee: { email: string; token: string },
  role: 'owner' | 'admin' | 'member' | 'viewer',
): Promise<void> {
  await ok(baseUrl, 'tenant.addMember', { tenantId, email: invitee.email, role }, { token });
  await ok(baseUrl, 'invitation.accept', { tenantId }, { token: invitee.token });
}

/** A new account that owns a new organization (selected in its session): where most tests start. */
export async function registerOwner(
  baseUrl: string,
  overrides: { name?: string; organization?: { name?: string; slug?: string } } = {},
): Promise<{ owner: TestUser; org: TestTenant }> {
  const owner = await registerUser(baseUrl, { name: overrides.name });
  const org = await createTenant(baseUrl, owner.token, overrides.organization);
  return { owner, org };
}

/** Creates a business through the API (`options` name the organization) and returns its id. */
export async function createBusiness(baseUrl: string, name: string, options: CallOptions): Promise<string> {
  return (await ok<{ id: string }>(baseUrl, 'business.create', { name }, options)).id;
}
