import { describe, expect, it } from 'vitest';
import { type LinkClaims, LinkSigner } from '../src/backup/signing.ts';
import { checkLinkToken, consumeFailure } from '../src/backup/token-check.ts';

// The signed links' rules at their edges: expiry to the millisecond, the length limit, which claims
// a well-signed payload must carry, and the refusal each failure becomes.

const SECRET = 'a-secret-that-is-long-enough-for-the-tests-0123456789';
const signer = new LinkSigner(SECRET);
const NOW = 1_800_000_000_000;
const TENANT = '0193a000-0000-7000-8000-00000000000a';
const claims: LinkClaims = {
  id: '0193a000-0000-7000-8000-000000000001',
  tenantId: TENANT,
  userId: '0193a000-0000-7000-8000-000000000002',
  expiresAt: NOW + 60_000,
};

/** A token whose payload is signed but does not have the claims' shape. */
const signedOddly = (payload: unknown) => signer.sign('export', payload as LinkClaims);

describe('LinkSigner', () => {
  it('verifies its own token, with the claims, until the millisecond it expires', () => {
    const token = signer.sign('export', claims);
    expect(signer.verify('export', token, NOW)).toEqual({ ok: true, claims });
    expect(signer.verify('export', token, claims.expiresAt - 1)).toEqual({ ok: true, claims });
    expect(signer.verify('export', token, claims.expiresAt)).toEqual({ ok: false, reason: 'expired' });
  });

  it('signs exactly as before: a fixed secret and claims give these signatures', () => {
    // Every process of one instance, old or new version, must accept the links of the others: the
    // key derivation (HKDF salt and info per purpose) and the MAC are part of the link format.
    const signatures = {
      export: 'X8-vlGGf-Ajp_7J3nFFsMCg1K6X9GuOy_MrUY1g_dMw',
      import: '6ti51rE49buw8vTj0VOKP_jAiV8qjwJve0FxT_JTYDQ',
      csv: 'o5CDjWJoVpgywY4pMJv4tc3eaFUsl3p5fqAbnoSQCzw',
    };
    for (const [purpose, signature] of Object.entries(signatures)) {
      const token = signer.sign(purpose as keyof typeof signatures, claims);
      expect(token).toBe(`${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`);
    }
  });

  it('refuses a token of another purpose or another secret', () => {
    const token = signer.sign('export', claims);
    for (const purpose of ['import', 'csv'] as const) {
      expect(signer.verify(purpose, token, NOW)).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(new LinkSigner(`${SECRET}!`).verify('export', token, NOW)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(new LinkSigner(SECRET).verify('export', token, NOW).ok).toBe(true);
  });

  it('refuses a token without its dot, with an empty payload, or with any other signature text', () => {
    const token = signer.sign('export', claims);
    const [payload, mac] = token.split('.') as [string, string];
    for (const bad of [payload + mac, `.${mac}`, `${payload}.`, `${payload}.${mac}x`, `${payload}x.${mac}`]) {
      expect(signer.verify('export', bad, NOW), bad).toEqual({ ok: false, reason: 'invalid' });
    }
    // base64url's last character carries spare bits: a string decoding to the same bytes is refused.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = `${mac.slice(0, -1)}${alphabet[alphabet.indexOf(mac.at(-1)!) ^ 1]}`;
    expect(Buffer.from(sibling, 'base64url').equals(Buffer.from(mac, 'base64url'))).toBe(true);
    expect(signer.verify('export', `${payload}.${sibling}`, NOW).ok).toBe(false);
  });

  it('accepts a token of 1,024 characters and refuses a longer one', () => {
    const tokenOfLength = (length: number): string => {
      for (let pad = 0; pad < 1000; pad++) {
        const token = signer.sign('export', { ...claims, id: `${claims.id}${'x'.repeat(pad)}` });
        if (token.length === length) return token;
      }
      throw new Error(`no token of ${length} characters`);
    };
    expect(signer.verify('export', tokenOfLength(1024), NOW).ok).toBe(true);
    expect(signer.verify('export', tokenOfLength(1026), NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a well-signed payload that lacks a claim or has one of the wrong type', () => {
    expect(signer.verify('export', signedOddly({ ...claims, businessId: 'b' }), NOW).ok).toBe(true);
    for (const odd of [
      { ...claims, id: 1 },
      { ...claims, tenantId: undefined },
      { ...claims, userId: null },
      { ...claims, expiresAt: String(claims.expiresAt) },
      { ...claims, businessId: 7 },
      'just a string',
    ]) {
      expect(signer.verify('export', signedOddly(odd), NOW), JSON.stringify(odd)).toEqual({
        ok: false,
        reason: 'invalid',
      });
    }
    const notJson = Buffer.from('{not json').toString('base64url');
    const forged = signer.sign('export', claims).replace(/^[^.]+/, notJson);
    expect(signer.verify('export', forged, NOW).ok).toBe(false);
  });
});

describe('checkLinkToken and consumeFailure', () => {
  const codeOf = (work: () => unknown): unknown => {
    try {
      work();
    } catch (error) {
      const { status, code, message } = error as { status: number; code: string; message: string };
      return { status, code, message };
    }
    return 'no error';
  };
  const live = { ...claims, expiresAt: Date.now() + 60_000 };

  it('returns the claims of a live link for its organization, whatever the case of the id', () => {
    const token = signer.sign('import', live);
    expect(checkLinkToken(signer, 'import', token, TENANT)).toEqual(live);
    expect(checkLinkToken(signer, 'import', token, TENANT.toUpperCase())).toEqual(live);
  });

  it('answers 401 with a code for each way a link fails', () => {
    expect(codeOf(() => checkLinkToken(signer, 'export', undefined, TENANT))).toEqual({
      status: 401,
      code: 'TOKEN_MISSING',
      message: 'Missing token: add ?token=… from the request procedure',
    });
    expect(codeOf(() => checkLinkToken(signer, 'export', '', TENANT))).toMatchObject({
      code: 'TOKEN_MISSING',
    });
    const expired = signer.sign('export', { ...claims, expiresAt: Date.now() - 1 });
    expect(codeOf(() => checkLinkToken(signer, 'export', expired, TENANT))).toEqual({
      status: 401,
      code: 'TOKEN_EXPIRED',
      message: 'The link has expired; request a new one',
    });
    const importLink = signer.sign('import', live);
    expect(codeOf(() => checkLinkToken(signer, 'export', importLink, TENANT))).toEqual({
      status: 401,
      code: 'TOKEN_INVALID',
      message: 'Invalid token: not an export link issued by this server',
    });
    expect(codeOf(() => checkLinkToken(signer, 'import', signer.sign('export', live), TENANT))).toMatchObject(
      {
        message: 'Invalid token: not an import link issued by this server',
      },
    );
    expect(
      codeOf(() => checkLinkToken(signer, 'import', importLink, '0193a000-0000-7000-8000-0000000000bb')),
    ).toEqual({
      status: 401,
      code: 'TOKEN_TENANT_MISMATCH',
      message: 'Token tenant mismatch: the link is for another organization',
    });
  });

  it('turns each refusal of the token store into its own code', () => {
    expect(consumeFailure({ ok: false, reason: 'used' })).toMatchObject({
      status: 401,
      code: 'TOKEN_USED',
      message: 'The link was already used; each link works once',
    });
    expect(consumeFailure({ ok: false, reason: 'expired' })).toMatchObject({
      status: 401,
      code: 'TOKEN_EXPIRED',
      message: 'The link has expired; request a new one',
    });
    expect(consumeFailure({ ok: false, reason: 'unknown' })).toMatchObject({
      status: 401,
      code: 'TOKEN_INVALID',
      message: 'Invalid token: no such link was issued',
    });
  });
});
