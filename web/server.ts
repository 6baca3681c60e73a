/** Serves the web app over HTTP on a host and port; returns where it listens and how to stop it. */
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';

/** A listening web server. */
export interface RunningWebServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on `host:port` (port 0 picks a free one). */
export function startWebServer(app: Hono, host: string, port: number): Promise<RunningWebServer> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    const server: ServerType = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
      server.off('error', onError);
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`,
        port: info.port,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
    server.once('error', onError);
  });
}
