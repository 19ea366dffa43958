// Errors as values: every API call resolves to a Result, never throws for an expected failure.
import type { ErrorCode } from "@catalyst/shared";

export type ApiFailure = {
  /** HTTP status, or 0 when the request never got an answer (network down, server gone). */
  status: number;
  code: ErrorCode | "network" | "bad_response";
  message: string;
};

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiFailure };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T>(error: ApiFailure): Result<T> => ({ ok: false, error });
