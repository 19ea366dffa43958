// The command line an SSH exec request carries: a script for /bin/sh that survives any login shell.

/**
 * sshd hands the command to the account's login shell (`$SHELL -c`), whose quoting differs: fish
 * reads `\\` and `\'` inside single quotes, csh refuses a newline in them. So the script travels
 * as base64 letters, the only thing every shell passes through untouched, and sh decodes it.
 * `exec` makes sh the session leader, so the pid the script reports is its process group.
 */
export function remoteCommand(script: string): string {
  const b64 = Buffer.from(script, "utf8").toString("base64");
  return `exec /bin/sh -c 'eval "$(echo ${b64} | base64 -d)"'`;
}
