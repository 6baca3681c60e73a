/**
 * A TCP proxy on a free loopback port in front of a real server, to make that server look slow or hung to whoever
 * connects through it: what the server sends back is held for `delayMs` (a loaded server), or held until `thaw()`
 * (a server that accepts connections but does not answer). Requests pass at once.
 */
import { connect, createServer, type Socket } from 'node:net';
import { parseHostAndPort } from '../../web/accepts-connections.ts';

export interface SlowProxy {
  /** `127.0.0.1:port`, to connect to instead of the server. */
  readonly address: string;
  /** Holds each answer this long from now on. */
  slowBy(delayMs: number): void;
  /** Holds every answer until {@link thaw}. */
  freeze(): void;
  /** Sends what was held (in order) and answers at once again. */
  thaw(): void;
  /** Stops listening and cuts every connection: the server looks stopped. */
  close(): Promise<void>;
}

export async function startSlowProxy(target: string): Promise<SlowProxy> {
  const upstreamAt = parseHostAndPort(target);
  let delayMs = 0;
  let frozen = false;
  const links = new Set<{ client: Socket; upstream: Socket; flush(): void }>();

  const server = createServer((client) => {
    const upstream = connect(upstreamAt);
    // Chunks wait in order; each leaves at its own time, never before the one ahead of it.
    const held: { chunk: Buffer; at: number }[] = [];
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      while (!frozen && held.length && held[0]!.at <= Date.now()) client.write(held.shift()!.chunk);
      if (!frozen && held.length) timer = setTimeout(flush, held[0]!.at - Date.now());
    };
    const link = { client, upstream, flush };
    links.add(link);
    upstream.on('data', (chunk: Buffer) => {
      held.push({ chunk, at: Math.max(Date.now() + delayMs, held.at(-1)?.at ?? 0) });
      if (!timer) flush();
    });
    client.pipe(upstream);
    const end = () => {
      clearTimeout(timer);
      links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };

  return {
    address: `127.0.0.1:${port}`,
    slowBy: (ms) => {
      delayMs = ms;
    },
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      for (const link of links) link.flush();
    },
    close: async () => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      for (const { client, upstream } of links) {
        client.destroy();
        upstream.destroy();
      }
      await closed;
    },
  };
}
