#!/usr/bin/env node
// The `duban` command: runs the TypeScript CLI through tsx, so no build step stands between a change and its use.
// Help needs no TypeScript: it is printed straight from the usage text, so `duban --help` answers at once.
import { readFileSync } from 'node:fs';

const [first] = process.argv.slice(2);
if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
  process.stdout.write(readFileSync(new URL('../cli/usage.txt', import.meta.url), 'utf8'));
  process.exitCode = first === undefined ? 2 : 0;
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}
