import { beforeEach, describe, expect, it } from "vitest";
import { createRoot } from "solid-js";
import { createSocket, socketUrl } from "./create-socket.js";
import { MockWebSocket } from "./mock-websocket.js";

describe("createSocket", () => {
  beforeEach(() => MockWebSocket.reset());

  it("mirrors the connection state in signals and closes with its owner", () => {
    createRoot((dispose) => {
      const s = createSocket("ws://x/api/ws", { WebSocket: MockWebSocket, backoff: () => 60_000 });
      expect(s.state()).toBe("connecting");
      expect(s.everOpened()).toBe(false);
      MockWebSocket.last().serverOpen();
      expect(s.state()).toBe("open");
      expect(s.everOpened()).toBe(true);
      MockWebSocket.last().serverClose();
      expect(s.state()).toBe("closed");
      expect(s.attempt()).toBe(0);
      // The browser coming back online skips the backoff.
      window.dispatchEvent(new Event("online"));
      expect(MockWebSocket.instances).toHaveLength(2);
      MockWebSocket.last().serverOpen();
      dispose();
      expect(MockWebSocket.last().closedWith?.code).toBe(1000);
      expect(s.state()).toBe("closed");
    });
  });

  it("builds ws:// or wss:// from the page's origin", () => {
    expect(socketUrl({ protocol: "http:", host: "127.0.0.1:3000" })).toBe(
      "ws://127.0.0.1:3000/api/ws",
    );
    expect(socketUrl({ protocol: "https:", host: "catalyst.example" })).toBe(
      "wss://catalyst.example/api/ws",
    );
  });
});
