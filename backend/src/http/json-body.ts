// Reads a JSON request body: not JSON is a 400, over the limit is a 413, both with a message.
import type { Context } from "hono";
import type { z } from "zod";
import { AppError } from "./app-error.js";
import { parseOr400 } from "./validate.js";

export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    throw new AppError("bad_request", "could not read the request body");
  }
  let json: unknown;
  try {
    json = text === "" ? {} : JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "the body is not valid JSON");
  }
  return parseOr400(schema, json);
}
