import { describe, expect, it } from 'vitest';
import { forPeople } from '../src/api/errors.ts';
import { describeLocation, explainFailure } from '../src/restore/explainFailure.ts';
import { parseRestoreResponse } from '../src/restore/restoreResponse.ts';

describe('reading the restore answer', () => {
  it('keeps every count, warning and the source of a success', () => {
    const outcome = parseRestoreResponse(
      200,
      JSON.stringify({
        ok: true,
        rowsInserted: { businesses: 2, invoices: 0 },
        warnings: [{ table: 'businesses', message: 'einvoice_password is not in backups' }],
        durationMs: 812,
        source: {
          name: 'Sharma Traders',
          slug: 'sharma',
          exportedAt: '2026-11-25T10:00:00.000000Z',
          appVersion: '0.1.0',
        },
        compatibility: {
          formatVersion: 1,
          sourceSchemaVersion: 1,
          targetSchemaVersion: 2,
          upgrades: ['1→2: irn'],
        },
        pausedRecurringTemplates: 0,
      }),
    );
    expect(outcome).toMatchObject({
      ok: true,
      rowsInserted: { businesses: 2, invoices: 0 },
      warnings: [{ table: 'businesses' }],
      source: { slug: 'sharma' },
      compatibility: { upgrades: ['1→2: irn'] },
    });
  });

  it('turns a 422 into the engine’s problems with their places, never a bare status', () => {
    const outcome = parseRestoreResponse(
      422,
      JSON.stringify({
        ok: false,
        error: 'INVALID_ARCHIVE',
        message: 'parties.ndjson: SHA-256 does not match the manifest',
        errors: [
          { table: 'parties', line: null, column: null, message: 'SHA-256 does not match the manifest' },
        ],
      }),
    );
    if (outcome.ok) throw new Error('expected a failure');
    const explanation = explainFailure(outcome);
    expect(explanation.title).toBe('The backup could not be restored');
    expect(explanation.detail).toContain('SHA-256');
    expect(explanation.advice).toContain('Nothing was imported');
    expect(describeLocation(outcome.errors[0]!)).toBe('parties');
    expect(describeLocation({ table: 'invoices', line: 12, column: 'total', message: 'x' })).toBe(
      'invoices · line 12 · column total',
    );
  });

  it('explains a non-empty target, a size limit and a lost connection', () => {
    const conflict = parseRestoreResponse(409, '{"error":"TARGET_NOT_EMPTY","message":"has 1 business"}');
    if (conflict.ok) throw new Error('expected a failure');
    expect(explainFailure(conflict).title).toBe('This organization is not empty');
    const tooLarge = parseRestoreResponse(413, 'Payload Too Large');
    if (tooLarge.ok) throw new Error('expected a failure');
    expect(explainFailure(tooLarge).detail).toBe('Payload Too Large');
    const lost = parseRestoreResponse(0, '');
    if (lost.ok) throw new Error('expected a failure');
    expect(explainFailure(lost).title).toBe('The connection to the server was lost');
  });

  it("follows the server's code, not the HTTP status, and never the message's wording", () => {
    const byCode = parseRestoreResponse(400, '{"error":"TARGET_NOT_EMPTY","message":"has 1 business"}');
    if (byCode.ok) throw new Error('expected a failure');
    expect(explainFailure(byCode).title).toBe('This organization is not empty');
    const invalid = parseRestoreResponse(500, '{"error":"INVALID_ARCHIVE","message":"line 3: bad total"}');
    if (invalid.ok) throw new Error('expected a failure');
    expect(explainFailure(invalid).title).toBe('The backup could not be restored');
    const wording = parseRestoreResponse(500, '{"message":"TARGET_NOT_EMPTY: has 1 business"}');
    if (wording.ok) throw new Error('expected a failure');
    expect(explainFailure(wording).title).toBe('The restore failed (HTTP 500)');
  });
});

describe('server messages for people', () => {
  it('shows instants in local time', () => {
    const text = forPeople('The next export is possible at 2026-11-26T15:42:01.123Z.');
    expect(text).not.toContain('2026-11-26T');
    expect(text).toContain('2026');
  });
});
