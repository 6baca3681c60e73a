/** Stable Message-IDs and thread roots, so a retried send is recognisable and every notice of an item threads together. */

/** An id made safe for the left part of a Message-ID: runs of anything but letters, digits, `_` and `-` become one dot. */
export function slug(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]+/g, '.').replace(/^\.+|\.+$/g, '') || 'x';
}

/** `<key.unit@domain>`: the same notice to the same unit always gets the same id, so a retry is a recognisable duplicate. */
export function noticeMessageId(key: string, unitId: string, mailDomain: string): string {
  return `<${slug(key)}.${slug(unitId)}@${mailDomain}>`;
}

/** `<workflow.unit.thread@domain>`: the thread every notice of one workflow to one unit hangs under (the assignment's own id). */
export function threadRootId(workflowId: string, unitId: string, mailDomain: string): string {
  return `<${slug(workflowId)}.${slug(unitId)}.thread@${mailDomain}>`;
}

/** The trailing number of a notice key (`xinfang-2015/d04#7` → 7): it only grows within a workflow. */
export function keySequence(key: string): number {
  const match = /(\d+)$/.exec(key);
  return match ? Number(match[1]) : 0;
}
