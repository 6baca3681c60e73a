/**
 * 办结材料 in a deliverable's state: the references each confirmation carried, kept (bounded) across 退回 so the
 * supervisor can still open what was sent before; pure, called by the DeliverableMachine.
 */
import { attachmentLimits, type AttachmentRecord, type AttachmentRef } from './attachment-refs.ts';

/** The part of the deliverable's state this module reads and writes. */
export interface EvidenceState {
  /** Every reference submitted, oldest first (absent until the first confirmation with files). */
  attachments?: AttachmentRecord[];
  confirmations: Record<string, { at: string }>;
}

/** Why a confirmation with these files cannot be recorded, or undefined when it can. */
export function evidenceRefusal(state: EvidenceState, adding: readonly AttachmentRef[] | undefined): string | undefined {
  const count = adding?.length ?? 0;
  if (count === 0) return undefined;
  const held = state.attachments?.length ?? 0;
  if (held + count > attachmentLimits.maxPerDeliverable) {
    return `本事项已存附件 ${held} 个，最多 ${attachmentLimits.maxPerDeliverable} 个，请合并后再上传 (too many attachments on this deliverable)`;
  }
  return undefined;
}

/** Records the files of a unit's confirmation at `at` (the confirmation's own time stamp). */
export function recordEvidence(state: EvidenceState, unitId: string, at: string, refs: readonly AttachmentRef[] | undefined): void {
  if (!refs || refs.length === 0) return;
  (state.attachments ??= []).push(...refs.map((r) => ({ sha256: r.sha256, name: r.name, type: r.type, size: r.size, unitId, at })));
}

/** The files of the confirmations that stand now (not those of confirmations sent back since). */
export function currentEvidence(state: EvidenceState): AttachmentRecord[] {
  return (state.attachments ?? []).filter((a) => state.confirmations[a.unitId]?.at === a.at);
}
