// A hand-written stand-in for the browser WebSocket, for tests: the test opens, closes and feeds it.
import type { WebSocketLike } from "./make-socket.js";

export class MockWebSocket extends EventTarget implements WebSocketLike {
  static instances: MockWebSocket[] = [];
  static reset() {
    MockWebSocket.instances = [];
  }
  static last(): MockWebSocket {
    const s = MockWebSocket.instances.at(-1);
    if (!s) throw new Error("no MockWebSocket was created");
    return s;
  }

  readyState = 0;
  sent: string[] = [];
  closedWith: { code?: number; reason?: string } | null = null;

  constructor(readonly url: string) {
    super();
    MockWebSocket.instances.push(this);
  }

  send(data: string) {
    if (this.readyState !== 1) throw new Error("send on a socket that is not open");
    this.sent.push(data);
  }
  close(code?: number, reason?: string) {
    this.closedWith = { code, reason };
    this.serverClose();
  }

  // What the test does, as the server or the network would.
  serverOpen() {
    this.readyState = 1;
    this.dispatchEvent(new Event("open"));
  }
  serverSend(data: string) {
    const ev = new Event("message") as Event & { data: string };
    Object.defineProperty(ev, "data", { value: data });
    this.dispatchEvent(ev);
  }
  serverClose() {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.dispatchEvent(new Event("close"));
  }
}
