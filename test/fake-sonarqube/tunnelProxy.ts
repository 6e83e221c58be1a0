// A forward proxy that only tunnels (HTTP CONNECT), as corporate proxies do for HTTPS. With a route it lets a test
// reach a fake SonarQube under a real host name such as https://sonarcloud.io, with no name lookup and no outside network.
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TunnelProxy {
  /** `http://127.0.0.1:<port>`, for `http.proxy` or `HTTPS_PROXY`. */
  readonly url: string;
  /** Every CONNECT target asked for, in order (e.g. `sonarcloud.io:443`), refused ones included. */
  readonly tunnels: readonly string[];
  /** Stops listening and cuts the open tunnels. */
  close(): Promise<void>;
}

export type TunnelRoute = (target: string) => { readonly host: string; readonly port: number } | undefined;

const HEAD_END = '\r\n\r\n';
const MAX_HEAD_BYTES = 16 * 1024;

/** Where the target itself points: `host:port`. */
const direct: TunnelRoute = (target) => {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
  return match ? { host: match[1]!, port: Number(match[2]) } : undefined;
};

/** Starts the proxy on 127.0.0.1; `route` says where a CONNECT target goes, and undefined refuses it with 403. */
export async function startTunnelProxy(route: TunnelRoute = direct): Promise<TunnelProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = net.createServer((client) => {
    track(client);
    client.on('error', () => client.destroy());
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const end = head.indexOf(HEAD_END);
      if (end < 0) {
        if (head.length > MAX_HEAD_BYTES) client.destroy();
        return;
      }
      client.off('data', onData);
      const target = /^CONNECT (\S+) HTTP\/1\.[01]\r\n/.exec(head)?.[1];
      if (target === undefined) {
        client.end('HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      tunnels.push(target);
      const destination = route(target);
      if (!destination) {
        client.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const upstream = net.connect(destination.port, destination.host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        // Bytes the client sent after the head (a TLS hello written early) go first.
        const early = Buffer.from(head.slice(end + HEAD_END.length), 'latin1');
        if (early.length > 0) upstream.write(early);
        upstream.pipe(client).pipe(upstream);
      });
      track(upstream);
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
