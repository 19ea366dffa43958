// Parses request input with zod: a failure is a 400 whose message names the field.
import type { z } from "zod";
import { AppError } from "./app-error.js";

export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length > 0 ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

export function parseOr400<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError("bad_request", formatIssues(parsed.error));
  return parsed.data;
}
