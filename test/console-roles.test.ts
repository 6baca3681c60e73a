import type { Document } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { Plan } from '../config/plan-schema.ts';
import { consoleRoleUnits } from '../domain/console-roles.ts';
import { consoleUsersOf } from '../web/auth/console-users.ts';
import { SessionCodec } from '../web/auth/session.ts';
import { mayTake } from '../web/console/roles.ts';
import { SealedTokens } from '../web/links/sealed-tokens.ts';
import { shippedPlan } from './helpers/web-stack.ts';
import { shippedPlanVariants } from './helpers/shipped-plan-variants.ts';

const variants = shippedPlanVariants('roles');
afterAll(variants.cleanup);
const validate = variants.validate;


describe('console roles from the plan', () => {
  it('derives today’s roles without a console section: the supervisor acts, the other escalation units lead, nobody only reads', async () => {
    const plan: Plan = { ...(await shippedPlan()), console: undefined };
    expect(consoleRoleUnits(plan)).toEqual({ supervisor: ['duchashi'], leadership: ['leadership'], reader: [] });
    const users = consoleUsersOf([plan]);
    expect(users).toEqual([
      { email: 'duchashi@xinfang.example', name: '督查室', roles: { 'xinfang-2015': 'supervisor' } },
      { email: 'leadership@xinfang.example', name: '局领导', roles: { 'xinfang-2015': 'leadership' } },
    ]);
  });

  it('takes stated lists as given (groups resolved), defaults the rest, and gives a person a role per plan', async () => {
    const plan = await shippedPlan();
    const stated: Plan = { ...plan, console: { readers: ['xiangguan-yewu'] } };
    expect(consoleRoleUnits(stated)).toEqual({
      supervisor: ['duchashi'], leadership: ['leadership'], reader: ['banxin-1', 'banxin-2', 'laifang', 'tousuban', 'zonghe', 'yanjiushi'],
    });
    const other: Plan = { ...plan, id: 'other', console: { supervisors: ['zonghe'], leadership: ['duchashi'] } };
    const byEmail = new Map(consoleUsersOf([stated, other]).map((u) => [u.email, u.roles]));
    expect(byEmail.get('zonghe@xinfang.example')).toEqual({ 'xinfang-2015': 'reader', other: 'supervisor' });
    expect(byEmail.get('duchashi@xinfang.example')).toEqual({ 'xinfang-2015': 'supervisor', other: 'leadership' });
    // Stated leadership replaces the derived one: 局领导 has no role in the other plan.
    expect(byEmail.get('leadership@xinfang.example')).toEqual({ 'xinfang-2015': 'leadership' });
  });

  it('lets 督查 take every action but 批示, leadership only 批示, readers nothing', () => {
    for (const action of ['escalate', 'extension', 'accept', 'reject', 'cancel', 'some-later-action']) {
      expect([mayTake('supervisor', action), mayTake('leadership', action), mayTake('reader', action), mayTake(undefined, action)]).toEqual([true, false, false, false]);
    }
    expect([mayTake('supervisor', 'instruct'), mayTake('leadership', 'instruct'), mayTake('reader', 'instruct')]).toEqual([false, true, false]);
  });

  it('refuses a bad console section with located messages', async () => {
    const cases: [string, (d: Document) => void, string][] = [
      ['unknown unit', (d) => d.setIn(['console', 'leadership', 0], 'juzhang'), 'console.leadership[0]: unknown unit "juzhang"'],
      ['two roles', (d) => d.setIn(['console', 'readers'], ['bangongshi', 'duchashi']), 'console.readers[1]: unit "duchashi" already has the console role "supervisors"; a unit has one role'],
      ['a group of readers', (d) => d.setIn(['console', 'readers'], ['xiangguan-yewu']), ''],
      ['misspelt list', (d) => d.setIn(['console', 'reader'], ['bangongshi']), 'console: unknown field "reader"'],
      ['empty supervisors', (d) => d.setIn(['console', 'supervisors'], []), 'console.supervisors'],
    ];
    for (const [name, change, expected] of cases) {
      const { code, output } = await validate(name, change);
      if (expected === '') {
        expect(code, name).toBe(0);
        continue;
      }
      expect(code, name).toBe(2);
      expect(output, name).toContain(expected);
    }
    const leadershipTwice = await validate('leadership as reader', (d) => d.setIn(['console', 'readers'], ['leadership']));
    expect(leadershipTwice.output).toContain('console.readers[0]: unit "leadership" already has the console role "leadership"');
  });
});

describe('the session carries the roles', () => {
  const keys = [{ id: 's1', secret: 'c2Vzc2lvbiByb2xlcyB0ZXN0IGtleSAxMjM0NTY3ODkw' }];
  const codec = new SessionCodec(keys);
  const now = Date.parse('2026-12-01T08:00:00Z');

  it('round-trips each plan’s role through the signed cookie', () => {
    const { value } = codec.issue({ email: 'leadership@xinfang.example', name: '局领导', roles: { 'xinfang-2015': 'leadership', other: 'reader' } }, now);
    expect(codec.verify(value, now)?.user.roles).toEqual({ 'xinfang-2015': 'leadership', other: 'reader' });
  });

  it('refuses a cookie issued before roles existed, rather than reading it as full access', () => {
    const legacy = new SealedTokens('duban-session', keys).seal({ p: 'session', m: 'duchashi@xinfang.example', n: '督查室', c: 'a'.repeat(32), e: now + 60_000 });
    expect(codec.verify(legacy, now)).toBeUndefined();
  });
});
