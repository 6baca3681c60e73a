/** Seeded mutations of the shipped plan for the plan-file fuzzer: edits, wrong kinds, and hostile structures. */
import { readFileSync } from 'node:fs';

const planPath = new URL('../../config/plans/xinfang-2015.yaml', import.meta.url).pathname;
/** The shipped 2015 plan, the fuzzer's starting point. */
export const shippedPlanText = readFileSync(planPath, 'utf8');
const shipped = shippedPlanText;

/** mulberry32: a small deterministic PRNG, so every failure replays from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T,>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const int = (random: Random, max: number) => Math.floor(random() * max);

const fragments = [
  '&a', '*a', '<<: *a', '!!binary', '!!js/function "x"', '!!map', '? ', '%YAML 1.1\n', '---\n', '...\n', '~', 'null', '[]', '{}',
  '"', "'", '#', ':', ': ', '- ', '\t', '\r', '\u0000', '\u001b[31m', '\u0007', '\u202e', '\ufeff', '😀', '\\', '|', '>', '@', '`',
  '9999999999999999999999', '-1', '1e400', '2015-02-30', '0x1F', '.inf', '.nan', 'yes', 'no',
];

/** An alias bomb: each level refers nine times to the one below. */
export function aliasBomb(levels: number): string {
  const lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= levels; i++) lines.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(',')}]`);
  return `${lines.join('\n')}\n`;
}

const mutations: readonly ((text: string, random: Random) => string)[] = [
  // line-level edits
  (t, r) => { const l = t.split('\n'); l.splice(int(r, l.length), 1); return l.join('\n'); },
  (t, r) => { const l = t.split('\n'); const i = int(r, l.length); l.splice(i, 0, l[i]!); return l.join('\n'); },
  (t, r) => { const l = t.split('\n'); const i = int(r, l.length); const j = int(r, l.length); [l[i], l[j]] = [l[j]!, l[i]!]; return l.join('\n'); },
  (t, r) => { const l = t.split('\n'); const i = int(r, l.length); l[i] = ' '.repeat(int(r, 6)) + l[i]!.trimStart(); return l.join('\n'); },
  // character-level edits
  (t, r) => { const i = int(r, t.length); return t.slice(0, i) + pick(r, fragments) + t.slice(i); },
  (t, r) => { const i = int(r, t.length); return t.slice(0, i) + pick(r, fragments) + t.slice(i + 1 + int(r, 8)); },
  (t, r) => t.slice(0, int(r, t.length)),
  (t, r) => { const i = int(r, t.length); return t.slice(0, i) + String.fromCharCode(int(r, 0x80)) + t.slice(i); },
  // a value replaced by something of the wrong kind
  (t, r) => t.replace(/: ([^\n]+)/g, (m, v: string) => (r() < 0.05 ? `: ${pick(r, ['[]', '{}', '~', '"x"', '-5', 'true', `"${'长'.repeat(int(r, 20_000))}"`])}` : `: ${v}`)),
  // hostile structures
  (t, r) => `${aliasBomb(5 + int(r, 6))}${t}`,
  (t, r) => t.replace('title: ', `title: ${'['.repeat(500 + int(r, 10_000))}`),
  (t, r) => `${t}\nextra:\n  ${'- '.repeat(100 + int(r, 10_000))}x\n`,
  // Mostly a few thousand keys; now and then the 40,000 that once took 37 s.
  (t, r) => `${t}\n${Array.from({ length: r() < 0.2 ? 40_000 : 1_000 + int(r, 4_000) }, (_, i) => `k${i}: ${i}`).join('\n')}\n`,
  (t, r) => t.replace('units:\n', `units:\n${Array.from({ length: 100 + int(r, 3_000) }, (_, i) => `  - { id: u${i}, name: 单位${i}, emails: [u${i}@x.example] }`).join('\n')}\n`),
  (t, r) => t.replace(/\n(\s*)- id: (d\d+)/, `\n$1- id: $2\n$1  title: "\u001b]0;owned\u0007\u001b[2J${'\u202e'.repeat(1 + int(r, 3))}"`),
  (t, r) => `${t}\nid: ${'x'.repeat(int(r, 20_000))}\n`,
];

export function mutate(seed: number): string {
  const random = prng(seed);
  let text = shipped;
  const edits = 1 + int(random, 4);
  for (let i = 0; i < edits; i++) text = pick(random, mutations)(text, random);
  return text;
}

