import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * What a signed link grants. Each purpose signs with its own key, so a link made for one purpose can
 * never be replayed as another (an export link is worthless as an upload link).
 */
export type LinkPurpose = 'export' | 'import' | 'stored' | 'csv';

export interface LinkClaims {
  /** The `backup_tokens` row that makes the link single-use (export/import), or a random nonce (csv). */
  id: string;
  tenantId: string;
  userId: string;
  /** The business a CSV link is for. */
  businessId?: string;
  /** The stored backup a `stored` link downloads. */
  backupId?: string;
  /** Expiry, in milliseconds since the epoch. */
  expiresAt: number;
}

export type VerifyFailure = 'invalid' | 'expired';

const HKDF_SALT = 'hisaabo signed links v1';

/** Signs and checks links with HMAC-SHA256 under keys derived (HKDF-SHA256) from the server secret. */
export class LinkSigner {
  readonly #keys: Record<LinkPurpose, Buffer>;

  constructor(secret: string) {
    const derive = (purpose: LinkPurpose) =>
      Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, `hisaabo link: ${purpose}`, 32));
    this.#keys = {
      export: derive('export'),
      import: derive('import'),
      stored: derive('stored'),
      csv: derive('csv'),
    };
  }

  /** `<base64url(claims JSON)>.<base64url(HMAC)>`: opaque to clients, safe in a query string. */
  sign(purpose: LinkPurpose, claims: LinkClaims): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${this.#mac(purpose, payload).toString('base64url')}`;
  }

  verify(
    purpose: LinkPurpose,
    token: string,
    now = Date.now(),
  ): { ok: true; claims: LinkClaims } | { ok: false; reason: VerifyFailure } {
    const dot = token.indexOf('.');
    if (dot <= 0 || token.length > 1024) return { ok: false, reason: 'invalid' };
    const payload = token.slice(0, dot);
    // Compare the text, not the decoded bytes: base64url's last character carries spare bits that
    // decoding ignores, so two different strings would decode to the same MAC.
    const given = Buffer.from(token.slice(dot + 1), 'utf8');
    const expected = Buffer.from(this.#mac(purpose, payload).toString('base64url'), 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'invalid' };
    }
    const claims = parseClaims(payload);
    if (!claims) return { ok: false, reason: 'invalid' };
    if (claims.expiresAt <= now) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  #mac(purpose: LinkPurpose, payload: string): Buffer {
    return createHmac('sha256', this.#keys[purpose]).update(payload).digest();
  }
}

function parseClaims(payload: string): LinkClaims | undefined {
  try {
    const value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<LinkClaims>;
    if (
      typeof value.id === 'string' &&
      typeof value.tenantId === 'string' &&
      typeof value.userId === 'string' &&
      typeof value.expiresAt === 'number' &&
      (value.businessId === undefined || typeof value.businessId === 'string') &&
      (value.backupId === undefined || typeof value.backupId === 'string')
    ) {
      return value as LinkClaims;
    }
  } catch {
    // A well-signed payload is always valid JSON; anything else is simply not ours.
  }
  return undefined;
}
