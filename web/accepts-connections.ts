/**
 * Whether a server still accepts TCP connections: the kernel accepts them for a process that is alive however
 * busy it is, and refuses them once the process is gone, so this tells an overloaded server from a stopped one
 * where a call (which waits on the busy process) cannot.
 */
import { connect } from 'node:net';

/** A server's address as a TCP connection needs it. */
export interface HostAndPort {
  readonly host: string;
  readonly port: number;
}

/** Whether the server at `host`:`port` accepts a connection within `timeoutMs`. */
export function acceptsConnections({ host, port }: HostAndPort, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const settle = (accepted: boolean) => {
      socket.destroy();
      resolve(accepted);
    };
    socket.setTimeout(timeoutMs, () => settle(false));
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
  });
}

/** `host:port` or `[v6]:port`, as Temporal addresses are written. */
export function parseHostAndPort(address: string): HostAndPort {
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(address.trim());
  if (!match) throw new RangeError(`not a host:port address: "${address}"`);
  return { host: match[1]!, port: Number(match[2]) };
}
