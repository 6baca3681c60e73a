// The CLI compiled to JavaScript once and cached in `.cache/cli/`, rebuilt (esbuild, ~0.1 s) whenever one of the
// TypeScript files it was built from has changed. Loading it skips tsx's hook and its per-module transforms:
// `duban worker` polled in 1.30 s instead of 2.03, `duban plan validate` answered in 0.4 s instead of 0.7 (2026-12-02).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
/** A build no manifest names any more is removed once this old: a command started from it may still be loading its chunks. */
const staleBuildMs = 10 * 60_000;

/**
 * The URL of the compiled `cli/main.ts`: the cached build when every source it was built from is as it was (same
 * size and modification time), else a new build. Undefined when no build can be made or cached here (a read-only
 * install, esbuild missing): the caller then runs the TypeScript itself.
 */
export async function compiledCli({ root = projectRoot, entry = 'cli/main.ts', cacheDir = join(root, '.cache', 'cli'), onBuild } = {}) {
  const where = { root, entry, cacheDir, manifestFile: join(cacheDir, 'manifest.json') };
  try {
    const cached = upToDateBuild(where);
    if (cached) return pathToFileURL(cached).href;
    onBuild?.();
    return pathToFileURL(await buildCli(where)).href;
  } catch {
    return undefined;
  }
}

/** The entry of the cached build if none of its sources changed since; a stat per source, no reading. */
function upToDateBuild({ root, entry, cacheDir, manifestFile }) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch {
    return undefined;
  }
  for (const [file, [size, mtimeMs]] of Object.entries(manifest.sources)) {
    try {
      const stat = statSync(join(root, file));
      if (stat.size !== size || stat.mtimeMs !== mtimeMs) return undefined;
    } catch {
      return undefined;
    }
  }
  const compiled = join(cacheDir, manifest.build, compiledName(entry));
  return statSync(compiled, { throwIfNoEntry: false }) ? compiled : undefined;
}

/**
 * Bundles `cli/main.ts` with its chunks (each command's modules stay in their own chunk, loaded when that command
 * runs, as with `import()` before) and packages left to `node_modules`. Sources are stat'ed before they are read, so a
 * file saved during the build makes the next start build again rather than trust a build of its older text.
 */
async function buildCli({ root, entry, cacheDir, manifestFile }) {
  const { build } = await import('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  const building = join(cacheDir, `building-${process.pid}-${Date.now()}`);
  const loaded = new Map();
  let result;
  try {
    result = await build({
      absWorkingDir: root, entryPoints: [join(root, entry)], outdir: building, outExtension: { '.js': '.mjs' },
      bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20',
      sourcemap: 'linked', metafile: true, logLevel: 'silent', plugins: [packagesLeftOut, keepModuleUrls(root, loaded)],
    });
  } catch (err) {
    rmSync(building, { recursive: true, force: true });
    throw err;
  }
  const sources = {};
  const hash = createHash('sha256');
  for (const input of Object.keys(result.metafile.inputs).sort()) {
    const file = relative(root, join(root, input));
    const { stat, text } = loaded.get(file) ?? { stat: statSync(join(root, file)), text: readFileSync(join(root, file), 'utf8') };
    sources[file] = [stat.size, stat.mtimeMs];
    // The texts built, so a build's folder name always says what is in it.
    hash.update(file).update(text);
  }
  const name = `build-${hash.digest('hex').slice(0, 16)}`;
  const final = join(cacheDir, name);
  // Two commands building at once build the same thing: the first rename wins, the other's copy is dropped.
  try {
    renameSync(building, final);
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
  const partial = `${manifestFile}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify({ build: name, sources }));
  renameSync(partial, manifestFile);
  removeStaleBuilds(cacheDir, name);
  return join(final, compiledName(entry));
}

/** `cli/main.ts` → `main.mjs`, the entry's name in its build. */
function compiledName(entry) {
  return `${basename(entry, extname(entry))}.mjs`;
}

/** Packages stay in `node_modules`, loaded as they are, except JSON data (a holiday table), which Node would not import without an import attribute. */
const packagesLeftOut = {
  name: 'packages-left-out',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.endsWith('.json') ? undefined : { external: true }));
  },
};

/**
 * Each module's `import.meta.url` stays its own source file's URL (the modules read files beside them, such as
 * `cli/usage.txt`), where bundled it would be the chunk's. Records each source's stat and text as they are read.
 */
function keepModuleUrls(root, loaded) {
  return {
    name: 'keep-module-urls',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const stat = statSync(args.path);
        const text = readFileSync(args.path, 'utf8');
        loaded.set(relative(root, args.path), { stat, text });
        return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts', resolveDir: dirname(args.path) };
      });
    },
  };
}

/** Tidying only: a folder another command removes first, or one that cannot be removed, is left to the next build. */
function removeStaleBuilds(cacheDir, current) {
  for (const name of readdirSync(cacheDir)) {
    // A `building-` folder this old is what a command that crashed mid-build left.
    if (name === current || !name.startsWith('build')) continue;
    const path = join(cacheDir, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > staleBuildMs) rmSync(path, { recursive: true, force: true });
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}
