#!/usr/bin/env node
// The `duban` command: runs the CLI compiled from its TypeScript and cached (`bin/cli-build.js`; a changed source is
// compiled again on the next start, so no build step stands between a change and its use), or through tsx where no
// build can be cached. Help needs neither: it is printed straight from the usage text, so `duban --help` answers at once.
import { readFileSync } from 'node:fs';

const [first] = process.argv.slice(2);
if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
  process.stdout.write(readFileSync(new URL('../cli/usage.txt', import.meta.url), 'utf8'));
  process.exitCode = first === undefined ? 2 : 0;
} else {
  const { compiledCli } = await import('./cli-build.js');
  const compiled = await compiledCli();
  if (compiled) {
    // Stack traces name the compiled chunks (maps beside them): `NODE_OPTIONS=--enable-source-maps` names the
    // TypeScript instead, at ~0.2 s more per start (Node then parses every package's source maps too, measured).
    await import(compiled);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import('../cli/main.ts');
  }
}
