/** Types of `bin/cli-build.js` (plain JavaScript, so `bin/duban.js` runs it without TypeScript). */
export interface CliBuildOptions {
  /** The project whose sources are compiled; default: this one. */
  root?: string;
  /** The entry module, relative to `root`; default `cli/main.ts`. */
  entry?: string;
  /** Where builds and their manifest are cached; default `<root>/.cache/cli`. */
  cacheDir?: string;
  /** Called when no cached build is up to date, before building. */
  onBuild?: () => void;
}

/** The `file:` URL of the compiled entry, cached or built now; undefined when none can be built or cached. */
export function compiledCli(options?: CliBuildOptions): Promise<string | undefined>;
