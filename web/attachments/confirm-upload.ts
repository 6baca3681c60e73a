/**
 * 办结材料 on the confirm link: which requests may upload at all (a POST to a confirm token), and turning a received
 * upload into the references the confirm update records.
 */
import type { Context } from 'hono';
import type { LinkSigner } from '../links/link-token.ts';
import type { AttachmentStore } from './attachment-store.ts';
import { uploadLimits, type UploadLimits } from './multipart-upload.ts';

/** What the web app needs to take files with a confirmation. */
export interface ConfirmUploads {
  readonly store: AttachmentStore;
  readonly limits?: UploadLimits;
}

const linkPath = /^\/a\/([^/]+)$/;

/**
 * For the body guard: the upload cap of a POST to a confirm link, undefined for every other request (whose multipart
 * body is then refused with 415). A token that does not verify gets the cap too: its route refuses the link before
 * reading any of the body.
 */
export function confirmUploadCap(signer: LinkSigner, now: () => number, uploads: ConfirmUploads): (c: Context) => number | undefined {
  const cap = (uploads.limits ?? uploadLimits).maxBodyBytes;
  return (c) => {
    const token = linkPath.exec(c.req.path)?.[1];
    if (!token) return undefined;
    try {
      return signer.verify(token, now()).action === 'confirm' ? cap : undefined;
    } catch {
      return cap;
    }
  };
}
