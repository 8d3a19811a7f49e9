/**
 * Loopback proxies in front of a Spark Connect server, for the fault and TLS tests: a plain TCP proxy that can stop
 * forwarding (a stalled connection: the sockets stay open, nothing passes), and a TLS-terminating one (node's tls
 * server, ALPN h2, as a cluster's TLS front end) that forwards the decrypted bytes to the server's plaintext port.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";

export interface Proxy {
  port: number;
  /** Stops forwarding in both directions; the connections stay open (nothing is closed or reset). */
  stall(): void;
  close(): Promise<void>;
}

function pipeBoth(client: Socket, targetPort: number, stalled: () => boolean, sockets: Set<Socket>): void {
  const upstream = connect(targetPort, "127.0.0.1");
  sockets.add(client).add(upstream);
  const forward = (from: Socket, to: Socket) =>
    from.on("data", (d: Buffer) => {
      if (!stalled()) to.write(d);
    });
  forward(client, upstream);
  forward(upstream, client);
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("error", end).on("close", end);
  upstream.on("error", end).on("close", end);
}

function listen(server: Server, sockets: Set<Socket>, state: { stalled: boolean }): Promise<Proxy> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as { port: number }).port,
        stall: () => (state.stalled = true),
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    ),
  );
}

export function tcpProxy(targetPort: number): Promise<Proxy> {
  const sockets = new Set<Socket>();
  const state = { stalled: false };
  return listen(
    createServer((c) => pipeBoth(c, targetPort, () => state.stalled, sockets)),
    sockets,
    state,
  );
}

export function tlsProxy(targetPort: number, key: Buffer, cert: Buffer): Promise<Proxy> {
  const sockets = new Set<Socket>();
  const state = { stalled: false };
  const server = createTlsServer({ key, cert, ALPNProtocols: ["h2"] }, (c) => pipeBoth(c, targetPort, () => state.stalled, sockets));
  // A client that refuses the certificate aborts the handshake: that is the expected outcome of one test, not a fault.
  server.on("tlsClientError", () => undefined);
  return listen(server, sockets, state);
}
