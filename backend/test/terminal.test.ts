// The terminal on both transports: this machine (node-pty) and a real OpenSSH sshd on 127.0.0.1.
import { onBothTransports } from "./both-transports.js";
import { terminalTests } from "./terminal-suite.js";

onBothTransports("terminals", terminalTests);
