import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveServerSecret, SECRET_FILE_NAME } from '../src/backup/secret.ts';
import { LinkSigner } from '../src/backup/signing.ts';
import { csvField, csvRecord, neutralizeFormula } from '../src/csv/encode.ts';

const claims = {
  id: '0197a0b1-c2d3-7e4f-8a9b-0c1d2e3f4a5b',
  tenantId: '0197a0b1-c2d3-7e4f-8a9b-0c1d2e3f4a5c',
  userId: '0197a0b1-c2d3-7e4f-8a9b-0c1d2e3f4a5d',
  expiresAt: Date.now() + 60_000,
};

describe('signed links', () => {
  const signer = new LinkSigner('a server secret that is long enough to sign with');

  it('accepts its own link for the purpose it was made for, and no other', () => {
    const token = signer.sign('export', claims);
    expect(signer.verify('export', token)).toEqual({ ok: true, claims });
    expect(signer.verify('import', token)).toEqual({ ok: false, reason: 'invalid' });
    expect(signer.verify('csv', token)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses links signed with another secret, altered claims, and expired links', () => {
    const other = new LinkSigner('another server secret, also long enough to sign');
    expect(signer.verify('export', other.sign('export', claims))).toEqual({ ok: false, reason: 'invalid' });
    const [, mac] = signer.sign('export', claims).split('.');
    const forged = `${Buffer.from(JSON.stringify({ ...claims, tenantId: claims.userId })).toString('base64url')}.${mac}`;
    expect(signer.verify('export', forged)).toEqual({ ok: false, reason: 'invalid' });
    for (const junk of ['', '.', 'abc', 'abc.def', `${'a'.repeat(2000)}.b`]) {
      expect(signer.verify('export', junk).ok, junk).toBe(false);
    }
    const expired = signer.sign('import', { ...claims, expiresAt: Date.now() - 1 });
    expect(signer.verify('import', expired)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a link with any one character changed, including the last one of the signature', () => {
    // The last base64url character of a 32-byte MAC has two bits that decoding throws away, so a
    // check on decoded bytes would accept some altered links.
    for (let n = 0; n < 20; n++) {
      const token = signer.sign('export', {
        ...claims,
        id: `${claims.id.slice(0, -2)}${n.toString().padStart(2, '0')}`,
      });
      for (let i = 0; i < token.length; i++) {
        if (token[i] === '.') continue;
        for (const replacement of ['A', 'B', 'C', 'D', 'a', '0', '-', '_']) {
          if (replacement === token[i]) continue;
          const altered = `${token.slice(0, i)}${replacement}${token.slice(i + 1)}`;
          expect(signer.verify('export', altered).ok, `${i}: ${altered}`).toBe(false);
        }
      }
    }
  });
});

describe('server secret', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hisaabo-secret-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('uses HISAABO_SECRET when set, and refuses one that is too short', () => {
    const configured = 'x'.repeat(40);
    expect(resolveServerSecret({ configured, production: true, dataDir: tempDir() })).toBe(configured);
    expect(() => resolveServerSecret({ configured: 'short', production: false, dataDir: tempDir() })).toThrow(
      /at least 32 characters/,
    );
  });

  it('refuses to invent a secret in production', () => {
    const dataDir = tempDir();
    expect(() => resolveServerSecret({ production: true, dataDir })).toThrow(/HISAABO_SECRET is required/);
    expect(() => statSync(path.join(dataDir, SECRET_FILE_NAME))).toThrow();
  });

  it('generates one secret in the data directory, readable by the owner only, and keeps it', () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const first = resolveServerSecret({ production: false, dataDir });
    const file = path.join(dataDir, SECRET_FILE_NAME);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(resolveServerSecret({ production: false, dataDir })).toBe(first);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
  });

  it('stops the server at start when production has no HISAABO_SECRET', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const dataDir = tempDir();
    const { HISAABO_SECRET: _secret, DATABASE_URL: _database, ...env } = process.env;
    const run = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['packages/server/src/main.ts'], {
      cwd: root,
      env: { ...env, NODE_ENV: 'production', HISAABO_DATA_DIR: dataDir, PORT: '0' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/HISAABO_SECRET is required when NODE_ENV=production/);
    expect(() => statSync(path.join(dataDir, 'pglite'))).toThrow();
  });

  it('tightens a secret file that others could read', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, SECRET_FILE_NAME);
    writeFileSync(file, `${'s'.repeat(48)}\n`, { mode: 0o644 });
    expect(resolveServerSecret({ production: false, dataDir })).toBe('s'.repeat(48));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('CSV cells', () => {
  it('neutralises formulas but keeps plain numbers', () => {
    for (const formula of ['=1+1', '+1 tea', '-A1', '@SUM(A1)', '\tcmd', '\rcmd', '=HYPERLINK("x")']) {
      expect(neutralizeFormula(formula)).toBe(`'${formula}`);
    }
    // Leading space, line feed, no-break space; full-width, small and minus-sign forms of = + - @.
    for (const hidden of [
      ' =1+1',
      '\n=1+1',
      '\u00a0=1+1',
      ' \u3000@SUM(A1)',
      '＝1+1',
      '＋1',
      '－A1',
      '＠SUM(A1)',
      '﹦1+1',
      '−A1',
    ]) {
      expect(neutralizeFormula(hidden)).toBe(`'${hidden}`);
    }
    for (const plain of ['-12.50', '+3', '42', 'Widget', '', 'a=b', ' Widget', 'Ａ＝1'])
      expect(neutralizeFormula(plain)).toBe(plain);
  });

  it('quotes per RFC 4180 and ends records with CRLF', () => {
    expect(csvField(null)).toBe('');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvRecord(['1', null, 'x,y'])).toBe('1,,"x,y"\r\n');
  });
});
