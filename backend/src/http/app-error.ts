// The one error type the server throws on purpose: a code, a message a person understands, a status.
import type { ApiError, ErrorCode } from "@catalyst/shared";

type Status = 400 | 401 | 402 | 403 | 404 | 409 | 413 | 429 | 500 | 503 | 507;

// 402 Payment Required: the run would spend money a budget does not allow.
const statusOf: Record<ErrorCode, Status> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  busy: 409,
  already_answered: 409,
  too_large: 413,
  too_many_runs: 429,
  too_many_attempts: 429,
  disk_full: 507,
  too_many_terminals: 429,
  unavailable: 503,
  budget_exceeded: 402,
  internal: 500,
};

export class AppError extends Error {
  readonly status: Status;
  /** Seconds, sent as Retry-After on 429s. */
  readonly retryAfter: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    opts: { retryAfter?: number } = {},
  ) {
    super(message);
    this.name = "AppError";
    this.status = statusOf[code];
    this.retryAfter = opts.retryAfter;
  }

  toJSON(): ApiError {
    return { error: { code: this.code, message: this.message } };
  }
}

/** Whether a file system call failed because the disk or the user's quota is full. */
export function isDiskFull(err: unknown): boolean {
  return err instanceof Error && "code" in err && (err.code === "ENOSPC" || err.code === "EDQUOT");
}

export const DISK_FULL_MESSAGE =
  "the server's disk is full: nothing was saved; free some space and try again";

/**
 * Anything thrown that is not an AppError is a bug (its details stay in the log, not the
 * response), except a full disk: that is the operator's to fix, and said so (507).
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isDiskFull(err)) return new AppError("disk_full", DISK_FULL_MESSAGE);
  return new AppError("internal", "internal error");
}
