/** A set that forgets its oldest entries beyond a limit: what a long-running worker can afford to remember. */

/** Remembers at most `limit` strings, dropping the oldest first. */
export class BoundedSet {
  private readonly entries = new Set<string>();

  constructor(private readonly limit: number) {}

  has(value: string): boolean {
    return this.entries.has(value);
  }

  add(value: string): void {
    this.entries.add(value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.values().next().value!);
  }
}
