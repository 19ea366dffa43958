// The account routes of the API client: the Claude account on the target (/api/account).
import { z } from "zod";
import {
  accountStatusSchema,
  loginStartedSchema,
  type AccountStatus,
  type LoginStarted,
  type StoreCredentialBody,
} from "@catalyst/shared";
import type { Result } from "./result.js";

type Call = <T>(
  method: string,
  path: string,
  schema: z.ZodType<T>,
  body?: unknown,
) => Promise<Result<T>>;

const loginFinishedSchema = z.object({ ok: z.literal(true), message: z.string() });

export function accountCalls(call: Call) {
  return {
    account: (fresh = false): Promise<Result<AccountStatus>> =>
      call("GET", `/api/account${fresh ? "?fresh=1" : ""}`, accountStatusSchema),
    storeCredential: (body: StoreCredentialBody): Promise<Result<AccountStatus>> =>
      call("PUT", "/api/account/api-key", accountStatusSchema, body),
    removeCredential: (): Promise<Result<AccountStatus>> =>
      call("DELETE", "/api/account/api-key", accountStatusSchema),
    accountLogout: (): Promise<Result<AccountStatus>> =>
      call("POST", "/api/account/logout", accountStatusSchema),
    startLogin: (): Promise<Result<LoginStarted>> =>
      call("POST", "/api/account/login", loginStartedSchema),
    finishLogin: (loginId: string, code: string) =>
      call("POST", `/api/account/login/${encodeURIComponent(loginId)}`, loginFinishedSchema, {
        code,
      }),
  };
}
