/** Holds the unit-mails that fall due at one instant for a moment, so each group of them goes out as one mail. */

/** How long a group waits and how large it may grow. */
export interface CoalescingOptions {
  /** Wait after a group's first item before it is sent (default 300 ms): the 09:00 burst's activities arrive within it. */
  readonly windowMs?: number;
  /** A group this large is sent at once (default 200), so one mail stays readable and one failure stays small. */
  readonly maxItems?: number;
}

/** Collects items into groups by key; every item of a group settles with the group's one send. */
export interface Coalescer<T, R> {
  /** Adds `item` to the open group `groupKey` (opening one if none); resolves or rejects as that group's send does. */
  add(groupKey: string, item: T): Promise<R>;
}

interface Group<T, R> {
  readonly items: T[];
  readonly waiters: { resolve(result: R): void; reject(err: unknown): void }[];
  timer?: NodeJS.Timeout;
}

/** A coalescer that sends each group with `send` after the window, or as soon as it is full. */
export function createCoalescer<T, R>(send: (items: readonly T[]) => Promise<R>, options: CoalescingOptions = {}): Coalescer<T, R> {
  const windowMs = options.windowMs ?? 300;
  const maxItems = options.maxItems ?? 200;
  if (!(windowMs >= 0) || !Number.isInteger(maxItems) || maxItems < 1) throw new TypeError(`bad coalescing options: window ${windowMs} ms, at most ${maxItems} items`);
  const open = new Map<string, Group<T, R>>();

  const flush = (groupKey: string, group: Group<T, R>) => {
    // Closed before sending: an item arriving while the mail is on its way starts a new group.
    if (open.get(groupKey) === group) open.delete(groupKey);
    clearTimeout(group.timer);
    send(group.items).then(
      (result) => group.waiters.forEach((w) => w.resolve(result)),
      (err: unknown) => group.waiters.forEach((w) => w.reject(err)),
    );
  };

  return {
    add(groupKey, item) {
      let group = open.get(groupKey);
      if (!group) {
        const created: Group<T, R> = { items: [], waiters: [] };
        // Unref'd: a waiting group never keeps a worker process alive that is shutting down.
        created.timer = setTimeout(() => flush(groupKey, created), windowMs).unref();
        open.set(groupKey, created);
        group = created;
      }
      const promise = new Promise<R>((resolve, reject) => group.waiters.push({ resolve, reject }));
      group.items.push(item);
      if (group.items.length >= maxItems) flush(groupKey, group);
      return promise;
    },
  };
}
