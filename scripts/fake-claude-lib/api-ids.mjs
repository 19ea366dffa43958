// Ids shaped like the Anthropic API's (`msg_01...`, `toolu_01...`): 22 random base62 characters.
import { randomBytes } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
function apiId(prefix) {
  const bytes = randomBytes(22);
  let id = prefix;
  for (const b of bytes) id += BASE62[b % 62];
  return id;
}
export const messageId = () => apiId("msg_01");
export const toolUseId = () => apiId("toolu_01");
