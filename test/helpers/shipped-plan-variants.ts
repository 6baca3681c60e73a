/** The shipped 2015 plan with one change made to its YAML, checked by the real `duban plan validate`. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { planValidate } from '../../cli/plan-validate.ts';

export const shippedPlanPath = new URL('../../config/plans/xinfang-2015.yaml', import.meta.url).pathname;

/** Writes variants into a temporary folder (removed by `cleanup`) and validates each as a user would. */
export function shippedPlanVariants(prefix: string) {
  const shippedText = readFileSync(shippedPlanPath, 'utf8');
  const workDir = mkdtempSync(join(tmpdir(), `duban-${prefix}-`));
  return {
    async validate(name: string, change: (doc: Document) => void): Promise<{ code: number; output: string }> {
      const doc = parseDocument(shippedText);
      change(doc);
      const file = join(workDir, `${name}.yaml`);
      writeFileSync(file, doc.toString());
      const lines: string[] = [];
      const code = await planValidate(file, (line) => lines.push(line));
      return { code, output: lines.join('\n') };
    },
    cleanup: () => rmSync(workDir, { recursive: true, force: true }),
  };
}
