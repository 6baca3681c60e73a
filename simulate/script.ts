/**
 * Turns a plan and a scenario into the simulation's script: every unit and 督查室 action at its plan-time instant
 * (09:30 local on a working day), in order. Pure: the calendar decides, nothing runs.
 */
import { DateTime } from 'luxon';
import type { PlanIssue } from '../config/load-plan.ts';
import type { Plan } from '../config/plan-schema.ts';
import { firstOverdueDay } from '../domain/deliverable-schedule.ts';
import type { IsoDate } from '../domain/iso-date.ts';
import { displayName, resolveUnitIds } from '../domain/plan-units.ts';
import { UncoveredYearError, WorkingDayCalendar } from '../domain/working-days.ts';
import type { AcceptInput, CancelInput, ConfirmInput, EscalateInput, ExtensionDecisionInput, ExtensionRequestInput, MilestoneDoneInput } from '../workflows/definitions.ts';
import { milestoneSteps } from './milestone-script.ts';
import type { ConfirmWhen, DeliverableScript, Scenario } from './scenario.ts';

/** Plan time begins at 08:00 on the start date; people act at 09:30, after the 09:00 notices of the day. */
export const startHour = 8;
export const actionTime = { hour: 9, minute: 30 } as const;
/** Working days before the effective due date on which an on-time unit confirms. */
export const onTimeLead = 3;
/** Working days after the first overdue notice on which a late unit confirms. */
export const lateBy = 2;
/** Working days after the plan's end the simulation still runs, so an item due on the last day shows its first overdue notice. */
export const runOnFor = 3;

/** One scripted update, with its input (`cancel` closes what is still open when the run ends). */
export type ScriptedAction = {
  readonly at: number;
  readonly date: IsoDate;
  readonly deliverableId: string;
  /** Why the date differs from the scenario's, if it does (a day off, …). */
  readonly moved?: string;
} & (
  | { readonly kind: 'confirm'; readonly input: ConfirmInput }
  | { readonly kind: 'accept'; readonly input: AcceptInput }
  | { readonly kind: 'extension_request'; readonly input: ExtensionRequestInput }
  | { readonly kind: 'extension_decision'; readonly input: ExtensionDecisionInput }
  | { readonly kind: 'escalate'; readonly input: EscalateInput }
  | { readonly kind: 'cancel'; readonly input: CancelInput }
  | { readonly kind: 'milestone_done'; readonly input: MilestoneDoneInput }
);

/** How a deliverable was scripted, for the summary. */
export interface Behaviour {
  readonly deliverableId: string;
  readonly confirm: ConfirmWhen | 'on a date';
  readonly scripted: boolean;
  readonly confirmDate?: IsoDate;
}

/** The whole script of a run. */
export interface SimulationScript {
  /** Plan-time instant the plan starts (08:00 local on its start date). */
  readonly start: number;
  /** Plan-time instant the run stops: open items are cancelled then. */
  readonly end: number;
  readonly actions: ScriptedAction[];
  readonly behaviours: Behaviour[];
  /**
   * Set when the calendar ends before the run would: the run stops on the last covered day (as the workflows pause
   * their schedules there), and what could not be scripted is listed.
   */
  readonly calendarEnds?: { readonly date: IsoDate; readonly year: number; readonly message: string; readonly dropped: readonly string[] };
}

/** Who acts for the supervisor in the simulation, by the plan's own name: `督查处（模拟）`. */
export function supervisorActor(plan: Pick<Plan, 'units' | 'groups' | 'supervisor'>): string {
  return `${displayName(plan, plan.supervisor)}（模拟）`;
}

/** The script, or the scenario's problems against this plan (unknown deliverables, foreign units, impossible dates). */
export function buildScript(
  plan: Plan,
  scenario: Scenario,
  locate: (path: (string | number)[], message: string) => PlanIssue = (path, message) => ({ path, message }),
): { ok: true; script: SimulationScript } | { ok: false; issues: PlanIssue[] } {
  const calendar = new WorkingDayCalendar(plan.timezone, plan.calendar.overrides);
  const at = (date: IsoDate) => DateTime.fromISO(date, { zone: plan.timezone }).set({ hour: actionTime.hour, minute: actionTime.minute }).toMillis();
  // Past the calendar's last year the workflows pause their schedules (schedule_paused); the run stops there too.
  const runOn = orUncovered(() => calendar.addWorkingDays(calendar.onOrAfter(plan.end), runOnFor));
  const calendarEnds = runOn instanceof UncoveredYearError ? { date: `${runOn.year - 1}-12-31`, year: runOn.year, message: runOn.message } : undefined;
  const lastDay = calendarEnds?.date ?? (runOn as IsoDate);
  const dropped: string[] = [];
  const issues: PlanIssue[] = [];
  const problem = (path: (string | number)[], message: string) => issues.push(locate(path, message));

  for (const id of Object.keys(scenario.deliverables)) {
    if (!plan.deliverables.some((d) => d.id === id)) problem(['deliverables', id], `unknown deliverable "${id}"; the plan has ${plan.deliverables.map((d) => d.id).join(', ')}`);
  }

  const defaults = defaultBehaviours(plan, calendar);
  const actions: ScriptedAction[] = [];
  const behaviours: Behaviour[] = [];

  for (const deliverable of [...plan.deliverables].sort((a, b) => a.number - b.number)) {
    const given: DeliverableScript | undefined = scenario.deliverables[deliverable.id];
    const path = (...rest: (string | number)[]) => ['deliverables', deliverable.id, ...rest];
    const policy = { ...plan.policy, ...deliverable.policy };
    const units = resolveUnitIds(plan, deliverable.units);
    const own: ScriptedAction[] = [];
    // A scripted date on a day off is acted on the next working day, as a unit would.
    const day = (date: IsoDate, where: (string | number)[]): { date: IsoDate; moved?: string } | undefined => {
      if (date < plan.start || date > lastDay) {
        problem(where, `${date} lies outside the simulated period ${plan.start} – ${lastDay}`);
        return undefined;
      }
      const working = calendar.onOrAfter(date);
      return working === date ? { date } : { date: working, moved: `${date} is a day off: acted on ${working}` };
    };
    const push = (when: { date: IsoDate; moved?: string }, action: Omit<ScriptedAction, 'at' | 'date' | 'deliverableId' | 'moved'>) =>
      own.push({ ...action, at: at(when.date), date: when.date, deliverableId: deliverable.id, ...(when.moved ? { moved: when.moved } : {}) } as ScriptedAction);

    let due = deliverable.due;
    let decided: IsoDate | undefined;
    const extension = given?.extension;
    if (extension) {
      const request = day(extension.request, path('extension', 'request'));
      const decide = extension.decide ? day(extension.decide, path('extension', 'decide')) : request && { date: calendar.nextWorkingDay(request.date) };
      if (extension.to <= deliverable.due) problem(path('extension', 'to'), `${extension.to} is not after the due date ${deliverable.due}`);
      else if (extension.to > plan.end) problem(path('extension', 'to'), `${extension.to} lies after the plan's end ${plan.end}`);
      if (request && decide && decide.date < request.date) problem(path('extension', 'decide'), `the decision (${decide.date}) comes before the request (${request.date})`);
      if (request && decide) {
        push(request, { kind: 'extension_request', input: { unitId: units[0]!, to: extension.to, reason: extension.reason ?? '工作量超出预期，申请延期' } });
        push(decide, {
          kind: 'extension_decision',
          input: extension.approve
            ? { approved: true, to: extension.to, reason: '同意延期', by: supervisorActor(plan) }
            : { approved: false, reason: '不同意延期，请按原期限办理', by: supervisorActor(plan) },
        });
        decided = decide.date;
        if (extension.approve) due = extension.to;
      }
    }

    const effectiveDue = calendar.onOrAfter(due);
    const when: ConfirmWhen | IsoDate = given?.confirm?.at ?? (scenario.others === 'default' ? defaults.get(deliverable.id)! : scenario.others);
    let confirmDay: { date: IsoDate; moved?: string } | undefined;
    if (when === 'on-time') {
      let date = calendar.addWorkingDays(effectiveDue, -onTimeLead);
      // Not before the plan starts, nor before an extension is settled.
      const earliest = decided ? calendar.nextWorkingDay(decided) : calendar.onOrAfter(plan.start);
      if (date < earliest) date = earliest;
      confirmDay = { date };
    } else if (when === 'late') {
      const late = orUncovered(() => calendar.addWorkingDays(firstOverdueDay(calendar, effectiveDue), lateBy));
      if (late instanceof UncoveredYearError) dropped.push(`${deliverable.id}: the late confirmation would fall in ${late.year}, which the calendar does not cover`);
      else confirmDay = { date: late };
    } else if (when !== 'never') {
      confirmDay = day(when, path('confirm', 'at'));
    }
    if (confirmDay && confirmDay.date > lastDay) {
      if (calendarEnds) dropped.push(`${deliverable.id}: the confirmation on ${confirmDay.date} falls after the calendar ends (${lastDay})`);
      confirmDay = undefined;
    }

    const confirmUnits = given?.confirm?.unit === undefined ? (policy.completion === 'lead' ? [units[0]!] : units) : [given.confirm.unit].flat();
    confirmUnits.forEach((unitId, i) => {
      if (!units.includes(unitId)) problem(path('confirm', 'unit', ...(Array.isArray(given?.confirm?.unit) ? [i] : [])), `"${unitId}" is not a responsible unit of ${deliverable.id} (${units.join(', ')})`);
    });
    if (confirmDay) for (const unitId of confirmUnits) push(confirmDay, { kind: 'confirm', input: { unitId, note: given?.confirm?.note ?? '已按要求完成' } });
    const steps = milestoneSteps(plan, deliverable, { calendar, when, confirmDate: confirmDay?.date, earliest: calendar.onOrAfter(plan.start), onTimeLead, lateBy });
    for (const step of steps.filter((s) => s.date <= lastDay)) push({ date: step.date }, { kind: 'milestone_done', input: step.input });

    const accept = given?.accept;
    if (accept !== undefined && accept !== false && !policy.acceptanceRequired) {
      problem(path('accept'), `${deliverable.id} closes on confirmation (acceptanceRequired: false); there is nothing to accept`);
    } else if (confirmDay && policy.acceptanceRequired && accept !== false) {
      const acceptDay = typeof accept === 'string' ? day(accept, path('accept')) : { date: calendar.nextWorkingDay(confirmDay.date) };
      if (acceptDay && acceptDay.date < confirmDay.date) problem(path('accept'), `acceptance on ${acceptDay.date} comes before the confirmation on ${confirmDay.date}`);
      else if (acceptDay && acceptDay.date <= lastDay) push(acceptDay, { kind: 'accept', input: { by: supervisorActor(plan), note: '验收通过' } });
    }

    (given?.escalate ?? []).forEach((step, i) => {
      const stepDay = day(step.at, path('escalate', i, 'at'));
      if (stepDay) push(stepDay, { kind: 'escalate', input: { remark: step.remark, by: supervisorActor(plan) } });
    });

    actions.push(...own);
    behaviours.push({
      deliverableId: deliverable.id, scripted: given !== undefined,
      confirm: when === 'on-time' || when === 'late' || when === 'never' ? when : 'on a date', confirmDate: confirmDay?.date,
    });
  }

  if (issues.length > 0) return { ok: false, issues };
  // Stable: actions of one instant keep their order (request before decision, confirm before accept).
  actions.sort((a, b) => a.at - b.at);
  return {
    ok: true,
    script: {
      start: calendar.instantAt(plan.start, startHour), end: at(lastDay), actions, behaviours,
      ...(calendarEnds ? { calendarEnds: { ...calendarEnds, dropped } } : {}),
    },
  };
}

/**
 * The default behaviour: the item due first is never confirmed (it climbs the whole ladder), every third of the
 * others (by number) is confirmed late, the rest on time.
 */
function defaultBehaviours(plan: Plan, calendar: WorkingDayCalendar): Map<string, ConfirmWhen> {
  const byNumber = [...plan.deliverables].sort((a, b) => a.number - b.number);
  const first = [...byNumber].sort((a, b) => calendar.onOrAfter(a.due).localeCompare(calendar.onOrAfter(b.due)))[0];
  const behaviours = new Map<string, ConfirmWhen>();
  byNumber.filter((d) => d !== first).forEach((d, i) => behaviours.set(d.id, i % 3 === 2 ? 'late' : 'on-time'));
  if (first) behaviours.set(first.id, 'never');
  return behaviours;
}

/** The value, or the uncovered-year error that computing it ran into (any other error is thrown). */
function orUncovered<T>(compute: () => T): T | UncoveredYearError {
  try {
    return compute();
  } catch (err) {
    if (err instanceof UncoveredYearError) return err;
    throw err;
  }
}
