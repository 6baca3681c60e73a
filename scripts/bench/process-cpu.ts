/**
 * CPU time used by the processes of a bench, read from /proc (Linux): to share a call's cost out between the worker
 * that ran it, the Temporal server and the bench itself. Elsewhere nothing is read and callers print no CPU figures.
 */
import { readdirSync, readFileSync } from 'node:fs';

// `getconf CLK_TCK`: 100 on every Linux this runs on (x86-64 and arm64 kernels fix it at 100 for user space).
const msPerTick = 10;

/** CPU time (user + system, every thread) process `pid` has used so far, in ms; undefined once it is gone. */
export function cpuMs(pid: number): number | undefined {
  try {
    // The command name may hold spaces and parentheses: the fields after it start past the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * msPerTick;
  } catch {
    return undefined;
  }
}

/** The first child of this process whose command name is `name` (e.g. `temporal`, the dev server the SDK spawned). */
export function childPidNamed(name: string): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === name && parent === process.pid) return Number(entry);
    } catch {
      // Gone while listed.
    }
  }
  return undefined;
}

/** A probe of the named processes' CPU so far (ms); undefined when any cannot be read (no /proc, a process gone). */
export function cpuProbe(pids: Readonly<Record<string, number | undefined>>): () => Record<string, number> | undefined {
  return () => {
    const read: Record<string, number> = {};
    for (const [name, pid] of Object.entries(pids)) {
      const ms = pid === undefined ? undefined : cpuMs(pid);
      if (ms === undefined) return undefined;
      read[name] = ms;
    }
    return read;
  };
}
