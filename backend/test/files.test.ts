// The files API on both transports: this machine and a real OpenSSH sshd on 127.0.0.1.
import { onBothTransports } from "./both-transports.js";
import { filesTests } from "./files-suite.js";

onBothTransports("files", filesTests);
