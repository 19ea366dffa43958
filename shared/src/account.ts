// The Claude account on the target, as /api/account reports it, and the login exchange.
import { z } from "zod";

/** How the CLI on the target authenticates, in the page's words. */
export const accountKindSchema = z.enum(["none", "subscription", "api_key", "oauth_token"]);
export type AccountKind = z.infer<typeof accountKindSchema>;

/** Which credential the page stored on the target (the value itself is never sent back). */
export const storedCredentialSchema = z.enum(["api_key", "oauth_token"]);
export type StoredCredential = z.infer<typeof storedCredentialSchema>;

export const accountStatusSchema = z.object({
  /** Where runs happen: "local" or "user@host:port". */
  target: z.string(),
  cliVersion: z.string().nullable(),
  loggedIn: z.boolean(),
  kind: accountKindSchema,
  /** The CLI's own `authMethod` ("none", "api_key", "oauth_token", "claude.ai"...). */
  method: z.string(),
  /** Where an API key comes from, as the CLI says ("ANTHROPIC_API_KEY"...). */
  apiKeySource: z.string().nullable(),
  /** The subscription's plan when the CLI says it ("max", "pro"...). */
  subscription: z.string().nullable(),
  /** When the login expires, when the CLI knows. */
  expiresAt: z.string().nullable(),
  stored: storedCredentialSchema.nullable(),
  /** A sentence a person understands when the status could not be read. */
  error: z.string().nullable(),
  checkedAt: z.string(),
});
export type AccountStatus = z.infer<typeof accountStatusSchema>;

export const loginStartedSchema = z.object({ loginId: z.string(), url: z.string() });
export type LoginStarted = z.infer<typeof loginStartedSchema>;

export const loginCodeBodySchema = z.object({
  // As claude.ai shows it: one word. A space, a tab or a control character would be typed into
  // the CLI's terminal and echoed altered, so the answer's redaction of the code would miss it.
  code: z
    .string()
    .trim()
    .min(1, "code is required")
    .max(2048)
    .regex(/^[^\s\p{Cc}]+$/u, "code must be one word, without spaces or control characters"),
});

/** A key or a setup-token, pasted in the page: exactly one of the two. */
const credential = (name: string) =>
  z
    .string()
    .trim()
    .min(1, `${name} is required`)
    .max(4096)
    .regex(/^\S+$/, `${name} must not contain spaces or line breaks`);
export const storeCredentialBodySchema = z.union([
  z.strictObject({ apiKey: credential("apiKey") }),
  z.strictObject({ oauthToken: credential("oauthToken") }),
]);
export type StoreCredentialBody = z.infer<typeof storeCredentialBodySchema>;

/** What a failed run's message and notices say when the CLI is not logged in. */
export const NOT_LOGGED_IN_PATTERN =
  /not logged in|please run \/login|invalid api key|authentication_failed|oauth token has expired/i;
