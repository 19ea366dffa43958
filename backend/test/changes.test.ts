// A build run's changes and revert on both transports: this machine and a real sshd on 127.0.0.1.
import { onBothTransports } from "./both-transports.js";
import { changesTests } from "./changes-suite.js";

onBothTransports("build run changes", changesTests);
