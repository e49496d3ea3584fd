/** Why a rule refused an operation; the server maps each code to its HTTP/tRPC equivalent. */
export type DomainErrorCode = 'NOT_FOUND' | 'BAD_REQUEST' | 'FORBIDDEN' | 'CONFLICT' | 'PRECONDITION_FAILED';

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  constructor(code: DomainErrorCode, message: string) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
  }
}

export const notFound = (what: string, id: string): DomainError =>
  new DomainError('NOT_FOUND', `${what} ${id} not found`);

export const badRequest = (message: string): DomainError => new DomainError('BAD_REQUEST', message);
