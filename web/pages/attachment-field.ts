/** 办结材料 on the unit's confirm page: the file field with its limits, and the files the unit's confirmation carried. */
import { html } from 'hono/html';
import { attachmentTypeLabel, formatBytes } from '../../workflows/attachment-refs.ts';
import type { UnitFacts } from '../../workflows/definitions.ts';
import { allowedTypesText } from '../attachments/file-types.ts';
import { filesField, type UploadLimits } from '../attachments/multipart-upload.ts';

// What the file picker offers; the server checks every file by its content whatever it is called.
const accept = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.doc,.xls,application/pdf,image/png,image/jpeg';

/** The file input of the confirm form. */
export function fileField(limits: UploadLimits) {
  const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
  return html`<label for="files">办结材料（可选）</label>
<input type="file" id="files" name="${filesField}" multiple accept="${accept}">
<p class="hint">可上传${allowedTypesText}；最多 ${limits.maxFiles} 个，每个不超过 ${mb(limits.maxFileBytes)}，合计不超过 ${mb(limits.maxTotalBytes)}。不接受程序、网页、压缩包和含宏的文件。</p>`;
}

/** A facts row listing the files of the unit's standing confirmation, or nothing. */
export function unitAttachmentsFact(view: Pick<UnitFacts, 'units' | 'attachments'>, unitId: string) {
  const confirmedAt = view.units.find((u) => u.unitId === unitId)?.confirmedAt;
  const files = (view.attachments ?? []).filter((a) => a.unitId === unitId && a.at === confirmedAt);
  if (!confirmedAt || files.length === 0) return '';
  return html`<dt>办结材料</dt><dd><ul class="attachments">${files.map((f) => html`<li>${f.name}（${attachmentTypeLabel(f.type)}，${formatBytes(f.size)}）</li>`)}</ul></dd>`;
}
