/** Raw HTTP requests for the security tests: a chosen Host header, and bodies streamed chunk by chunk with a count of what the server let through. */
import { request } from 'node:http';

/**
 * What came back, and how many body bytes the client got to write before the answer (or the socket) ended it.
 * Status 0: the server closed the connection before its answer could be read (a reset while we were writing).
 */
export interface RawAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly written: number;
}

/**
 * Sends `total` bytes of body in 64 kB chunks, waiting for the socket to drain between them, and stops as soon as
 * the answer arrives. `declareLength` sends Content-Length; otherwise the body is chunked.
 */
export function streamedPost(url: string, { total, declareLength, headers = {} }: { total: number; declareLength: boolean; headers?: Record<string, string> }): Promise<RawAnswer> {
  const target = new URL(url);
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = request({
      host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(declareLength ? { 'Content-Length': String(total) } : {}), ...headers },
    });
    const pump = () => {
      while (!answered && written < total) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => (body += text));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers, written });
      });
    });
    // A server that answers and closes while we still write makes the socket fail: the answer, if it came, counts.
    let failure: Error | undefined;
    req.on('error', (err) => void (failure = err));
    req.on('close', () => {
      if (answered) return;
      const code = (failure as NodeJS.ErrnoException | undefined)?.code;
      if (code === 'ECONNRESET' || code === 'EPIPE') resolve({ status: 0, body: '', headers: {}, written });
      else reject(failure ?? new Error('connection closed without an answer'));
    });
    pump();
  });
}

/** A GET with the Host header set to `host`. */
export function getWithHost(url: string, host: string): Promise<RawAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, headers: { Host: host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => (body += text));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers, written: 0 }));
    });
    req.on('error', reject);
    req.end();
  });
}
