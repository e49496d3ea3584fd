import { describe, expect, it } from 'vitest';
import { ExitCode } from '../src/exit-codes.ts';
import { refusalByCode } from '../src/api/refusals.ts';
import { transferError } from '../src/transfer/http-errors.ts';

describe("the exit code follows the server's error code, not its wording", () => {
  it('TARGET_NOT_EMPTY exits 3 whatever the message says', () => {
    const refusal = refusalByCode('TARGET_NOT_EMPTY', 'the organization has 1 business');
    expect(refusal?.exitCode).toBe(ExitCode.targetNotEmpty);
    expect(refusal?.message).toBe('the organization has 1 business');
  });

  it('a message that merely starts with a code decides nothing', () => {
    expect(refusalByCode(undefined, 'TARGET_NOT_EMPTY: the organization has 1 business')).toBeUndefined();
    expect(refusalByCode('NOT_A_CODE', 'x')).toBeUndefined();
  });

  it('a signed link answer is read by its code before its status', () => {
    const body = JSON.stringify({ error: 'INVALID_ARCHIVE', message: 'line 3: bad total' });
    expect(transferError(500, body, 'restore').exitCode).toBe(ExitCode.badFile);
    const notEmpty = JSON.stringify({ error: 'TARGET_NOT_EMPTY', message: 'has data' });
    expect(transferError(400, notEmpty, 'restore').exitCode).toBe(ExitCode.targetNotEmpty);
  });
});
