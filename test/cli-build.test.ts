import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledCli } from '../bin/cli-build.js';

const run = promisify(execFile);
const projectModules = fileURLToPath(new URL('../node_modules', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'duban-cli-build-'));
const cacheDir = join(root, '.cache', 'cli');

/** A small project shaped as duban's: an entry, a module it imports, one it imports lazily, a package and its JSON. */
function writeProject(greeting: string): void {
  writeFileSync(join(root, 'cli', 'lib.ts'), `export const folder: string = new URL('.', import.meta.url).pathname;\nexport const greeting = '${greeting}';\n`);
}

beforeAll(() => {
  mkdirSync(join(root, 'cli'));
  symlinkSync(projectModules, join(root, 'node_modules'));
  writeFileSync(join(root, 'cli', 'main.ts'), [
    `import { DateTime } from 'luxon';`,
    `import days from 'chinese-days/dist/chinese-days.json';`,
    `import { folder, greeting } from './lib.ts';`,
    `const { late } = await import('./late.ts');`,
    `console.log(JSON.stringify({ folder, greeting, late, luxon: typeof DateTime.fromISO, holidays: Object.keys(days).length > 0 }));`,
  ].join('\n'));
  writeFileSync(join(root, 'cli', 'late.ts'), `export const late = 'loaded when asked';\n`);
  writeProject('one');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Compiles (or finds cached) and runs the entry; what it printed and whether it was built. */
async function compileAndRun(): Promise<{ url: string; built: boolean; printed: Record<string, unknown> }> {
  let built = false;
  const url = await compiledCli({ root, cacheDir, onBuild: () => { built = true; } });
  expect(url).toBeDefined();
  const { stdout } = await run(process.execPath, [fileURLToPath(url!)]);
  return { url: url!, built, printed: JSON.parse(stdout) as Record<string, unknown> };
}

describe('the compiled CLI', () => {
  it('runs as its TypeScript does, each module seeing its own file as import.meta.url', async () => {
    const { built, printed } = await compileAndRun();
    expect(built).toBe(true);
    expect(printed).toEqual({ folder: `${join(root, 'cli')}/`, greeting: 'one', late: 'loaded when asked', luxon: 'function', holidays: true });
  });

  it('leaves packages in node_modules, bundling only their JSON', async () => {
    const { url } = await compileAndRun();
    const build = join(fileURLToPath(url), '..');
    const code = readdirSync(build).filter((name) => name.endsWith('.mjs')).map((name) => readFileSync(join(build, name), 'utf8')).join('\n');
    expect(code).toMatch(/from "luxon"/);
    expect(code).not.toMatch(/from "chinese-days/);
  });

  it('is taken from the cache while no source has changed', async () => {
    const first = await compileAndRun();
    const again = await compileAndRun();
    expect(again.built).toBe(false);
    expect(again.url).toBe(first.url);
  });

  it('is built again when a source changes, and runs the new text', async () => {
    const before = await compileAndRun();
    writeProject('three');
    const after = await compileAndRun();
    expect(after.built).toBe(true);
    expect(after.url).not.toBe(before.url);
    expect(after.printed.greeting).toBe('three');
  });

  it('gives no build for a source that does not compile, and leaves nothing half-built', async () => {
    writeFileSync(join(root, 'cli', 'late.ts'), `export const late = ;\n`);
    try {
      expect(await compiledCli({ root, cacheDir })).toBeUndefined();
      expect(readdirSync(cacheDir).filter((name) => name.startsWith('building-'))).toEqual([]);
    } finally {
      writeFileSync(join(root, 'cli', 'late.ts'), `export const late = 'loaded when asked';\n`);
    }
    expect((await compileAndRun()).printed.late).toBe('loaded when asked');
  });

  it('gives no build where none can be cached, so the caller runs the TypeScript', async () => {
    const notAFolder = join(root, 'plain-file');
    writeFileSync(notAFolder, '');
    expect(await compiledCli({ root, cacheDir: join(notAFolder, 'cli') })).toBeUndefined();
    expect(existsSync(join(notAFolder, 'cli'))).toBe(false);
  });
});
