// How every fake starts and stops: an HTTP server on 127.0.0.1 (or another loopback address) at a free port.
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  /** http://<host>:<port>, no trailing slash. */
  readonly origin: string;
  /** Ends open (hanging or streaming) responses too, so a test never waits on its own fake. */
  close(): Promise<void>;
}

export async function startLoopbackServer(listener: RequestListener, host = '127.0.0.1'): Promise<LoopbackServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
