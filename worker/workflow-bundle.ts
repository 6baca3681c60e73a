/**
 * The workflow bundle, built once and cached by content hash under `.cache/`, so a worker on a warm install starts
 * polling in about a second instead of running webpack (seconds) on every start.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type BundleOptions, type WorkflowBundle } from '@temporalio/worker';

const root = fileURLToPath(new URL('..', import.meta.url));
const workflowsPath = join(root, 'workflows', 'index.ts');
/** Folders whose files the bundle is built from (workflows import only these and packages). */
const sourceFolders = ['workflows', 'domain'];

/**
 * Modules evaluated once per worker and shared by every workflow instead of once per workflow: the libraries, the
 * holiday table, the message definitions (their zod schemas alone cost ~850 KB per workflow, measured) and the
 * workflow code itself (`workflows/index.ts` and all it imports: each workflow evaluated some thirty modules of its
 * own, which a workflow replayed after leaving the cache paid again). They hold no per-workflow state — workflows
 * keep theirs inside the workflow function, and the calendar index memo is a pure function of its key — which is
 * what the SDK requires of a preloaded module; the SDK freezes their exports. `preload-schemas` runs first among
 * ours, so zod's lazily built members exist before the freeze.
 */
export const preloadModules = [
  'zod',
  'luxon',
  'chinese-days/dist/chinese-days.json',
  ...['iso-date', 'remembering-zone', 'calendar-index', 'working-days', 'deliverable-schedule', 'weekly-slots'].map((name) => join(root, 'domain', `${name}.ts`)),
  ...['definitions', 'search-attributes', 'preload-schemas', 'index'].map((name) => join(root, 'workflows', `${name}.ts`)),
];

/** Bundler options every duban worker (and the replay test) uses. */
export const workflowBundleOptions: BundleOptions = { workflowsPath, preloadModules };

/** Where cached bundles live; git-ignored. */
export const bundleCacheDir = join(root, '.cache');

/** The bundle for today's workflow code: read from the cache when its hash is there, else built and cached. */
export async function loadWorkflowBundle({ cacheDir = bundleCacheDir, log }: { cacheDir?: string; log?: (line: string) => void } = {}): Promise<WorkflowBundle> {
  const hash = await sourceHash();
  const file = join(cacheDir, `workflow-bundle-${hash}.js`);
  const cached = await readFile(file, 'utf8').catch(() => undefined);
  if (cached !== undefined) return { code: cached };
  const began = Date.now();
  const code = withoutSourceTexts((await bundleWorkflowCode({ ...workflowBundleOptions, logger: quietLogger })).code);
  log?.(`workflow bundle built in ${Date.now() - began} ms (${(code.length / 1e6).toFixed(2)} MB), cached as ${relative(root, file)}`);
  try {
    await mkdir(cacheDir, { recursive: true });
    // Written aside and renamed, so a worker starting at the same moment never reads half a bundle.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, code);
    await rename(partial, file);
    for (const name of await readdir(cacheDir)) {
      if (name.startsWith('workflow-bundle-') && !name.includes(hash)) await rm(join(cacheDir, name), { force: true });
    }
  } catch (err) {
    // A read-only install still runs; it just bundles on every start.
    log?.(`workflow bundle not cached (${err instanceof Error ? err.message : String(err)})`);
  }
  return { code };
}

/**
 * The bundle with its inline source map kept but the sources' texts (`sourcesContent`) dropped. The SDK insists on
 * an inline map: it keeps it parsed in the worker's main thread and in the workflow thread, where a consumer maps each
 * workflow stack trace back to file, line and column, which needs only the mappings. The texts (1.45 of the map's
 * 1.92 MB: luxon, zod, the SDK, ours) only fill the source snippets of the Temporal UI's stack-trace query. Measured
 * with `duban worker` idle: 250 MB RSS with them, 214 MB without (an empty map would save 8 MB more, and lose the
 * mapping). A bundle without an inline map is returned as it is; the SDK then says what is wrong with it.
 */
export function withoutSourceTexts(code: string): string {
  const marker = code.lastIndexOf(inlineMapPrefix);
  if (marker < 0) return code;
  const map = JSON.parse(Buffer.from(code.slice(marker + inlineMapPrefix.length).trim(), 'base64').toString('utf8')) as { sourcesContent?: unknown };
  delete map.sourcesContent;
  return `${code.slice(0, marker)}${inlineMapPrefix}${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}

const inlineMapPrefix = '//# sourceMappingURL=data:application/json;charset=utf-8;base64,';

/** Hash of everything the bundle is made of: the workflow sources, the locked dependency versions and the options. */
async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ preloadModules: preloadModules.map((m) => relative(root, m)), format: 2 }));
  const files = (await Promise.all(sourceFolders.map((folder) => listFiles(join(root, folder))))).flat().sort();
  for (const file of [...files, join(root, 'package-lock.json')]) {
    hash.update(relative(root, file));
    hash.update(await readFile(file).catch(() => Buffer.alloc(0)));
  }
  return hash.digest('hex').slice(0, 16);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : Promise.resolve(e.name.endsWith('.ts') ? [join(dir, e.name)] : []))));
  return nested.flat();
}

// The bundler reports every module at INFO; a cached start shows nothing, a fresh build one line.
const quietLogger = {
  log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined,
  warn: (message: string) => console.warn(message), error: (message: string) => console.error(message),
};
