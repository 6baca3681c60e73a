/**
 * A plan id from the document: the issuing organisation's abbreviation and the year (`江北省信访局` + 2027 →
 * `jiangbei-xinfang-2027`), so plans of different offices never share an id; without an issuer, the title's subject.
 */
import { readableId } from './unit-names.ts';

/** The id, and the organisation it was made from (absent when the document names none). */
export interface PlanIdGuess {
  readonly id: string;
  readonly organisation?: string;
}

const place = /^(?:中共|中国共产党)?(.+?)(?:省|自治区|特别行政区|自治州|市|州|盟|地区|县|区|旗)/;
const bodySuffix = /(?:文件|人民政府|政府|委员会|办公室|办公厅|局|厅|委|办)$/;
const bodyPrefix = /^(?:委|人民政府|政府|省委|市委)/;

/** The organisation: an issuer line, else the title's words before its year (`江北省信访局2027年…`). */
export function organisationOf(title: string | null, issuer: string | undefined): string | undefined {
  if (issuer) return issuer;
  const before = title ? /^(.*?)\s*(?:19|20)[0-9]{2}\s*年/.exec(title)?.[1]?.replace(/\s+/g, '') : undefined;
  return before && before.length >= 2 ? before : undefined;
}

/** The plan id for a document's title, issuer and year. */
export function planIdFor({ title, issuer, year }: { title: string | null; issuer?: string; year: number | null }): PlanIdGuess {
  const suffix = year === null ? '' : `-${year}`;
  const organisation = organisationOf(title, issuer);
  if (organisation) {
    const where = place.exec(organisation);
    let body = where ? organisation.slice(where[0].length) : organisation.replace(/^(?:中共|中国共产党)/, '');
    for (let before = ''; before !== body; ) {
      before = body;
      body = body.replace(bodySuffix, '').replace(bodyPrefix, '');
    }
    const parts = [where ? readableId(where[1]!) : '', body ? readableId(body) : ''].filter((p) => p !== '' && p !== 'unit');
    if (parts.length > 0) return { id: `${parts.join('-')}${suffix}`, organisation };
  }
  return { id: `${title && /信访/.test(title) ? 'xinfang' : 'plan'}${suffix}` };
}
