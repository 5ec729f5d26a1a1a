// Every error a presenter can meet carries a string code, a message they can act
// on, and its cause. The CLI prints the message, never a stack, unless --debug.

/** The codes chaosdeck errors carry; tests and the CLI switch on these. */
export type DeckErrorCode =
  | 'SCENARIO_INVALID'
  | 'ENVIRONMENT_INVALID'
  | 'FILE_NOT_FOUND'
  | 'USAGE'
  | 'DRIVER_UNKNOWN'
  | 'DRIVER_VERB_UNSUPPORTED'
  | 'DRIVER_BINARY_MISSING'
  | 'DRIVER_FAILED'
  | 'COMMAND_TIMEOUT'
  | 'COMMAND_FAILED'
  | 'HOST_KEY_MISMATCH'
  | 'HOST_KEY_UNKNOWN'
  | 'JOURNAL_FAILED'
  | 'RESTORE_INCOMPLETE'
  | 'RECORDING_INVALID'
  | 'LAB_UNAVAILABLE'
  | 'UNSUPPORTED'
  | 'ABORTED';

/** An error with a code and a message fit for the presenter. */
export class DeckError extends Error {
  readonly code: DeckErrorCode;
  constructor(code: DeckErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeckError';
    this.code = code;
  }
}

/** True when `error` is a DeckError with the given code (or any code when omitted). */
export function isDeckError(error: unknown, code?: DeckErrorCode): error is DeckError {
  return error instanceof DeckError && (code === undefined || error.code === code);
}

/** The message of anything thrown, for events and logs. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
