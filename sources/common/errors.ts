/**
 * Errors that reach the user as one line: what went wrong, where (file, table, row or argument),
 * and the fix. The CLI maps `kind` to the exit code (input → 1, usage → 2).
 */
export type DictgenErrorKind = 'input' | 'usage' | 'network' | 'internal';

export class DictgenError extends Error {
  readonly kind: DictgenErrorKind;
  constructor(kind: DictgenErrorKind, message: string) {
    super(message);
    this.name = 'DictgenError';
    this.kind = kind;
  }
}

export function inputError(where: string, problem: string, fix: string): DictgenError {
  return new DictgenError('input', `${where}: ${problem}. ${fix}`);
}

export function usageError(problem: string, fix: string): DictgenError {
  return new DictgenError('usage', `${problem}. ${fix}`);
}
