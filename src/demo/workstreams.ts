/**
 * The faculty's workstreams (data/workstreams.json) with their dates placed in the dataset's
 * window, and which frontline units take part and since when.
 */
import { addMonths } from '../statistics/periods';
import { day, lastDay, monthIndex } from './calendar';
import { WORKSTREAMS } from './catalogue';
import { matches, type FrontlineUnit } from './organisation';
import type { DatasetWorkstream } from './types';

/** workstream code → unit code → the day the unit joined */
export type Membership = Map<string, Map<string, string>>;

/** CARE runs in cohorts, team by team, from its start to six months before the end of the window. */
export const CARE_TRAINING = 'CARE-TRAINING';
const LAST_CARE_COHORT = -6;
/** Milestones fall due on the 28th of their month and are completed on the 12th. */
const DUE_DAY = 28;
const COMPLETED_DAY = 12;

export function buildWorkstreams(frontline: FrontlineUnit[], rel: (n: number) => string): { workstreams: DatasetWorkstream[]; membership: Membership } {
  const membership: Membership = new Map();
  const workstreams = WORKSTREAMS.map((w): DatasetWorkstream => {
    const startDate = rel(w.startMonth);
    const members = frontline.filter((u) => matches(w.teams, u));
    const joinedOn: Record<string, string> = {};
    members.forEach((u, i) => {
      let joined = startDate;
      if (w.code === CARE_TRAINING) {
        const span = monthIndex(rel(LAST_CARE_COHORT)) - monthIndex(startDate);
        joined = addMonths(startDate, Math.floor((i * span) / Math.max(1, members.length)));
      }
      // A unit commissioned later joins when it opens.
      if (u.opensOn && u.opensOn > joined) joined = u.opensOn;
      joinedOn[u.code] = joined;
    });
    membership.set(w.code, new Map(Object.entries(joinedOn)));
    return {
      code: w.code,
      name: w.name,
      description: w.description,
      aims: [...w.aims],
      status: w.status,
      startDate,
      endDate: w.endMonth === null ? null : lastDay(rel(w.endMonth)),
      principles: [...w.principles],
      leads: w.leads.map((l) => ({ personKey: l.personKey, role: l.role })),
      milestones: w.milestones.map((m) => ({
        title: m.title,
        dueDate: day(rel(m.dueMonth), DUE_DAY),
        status: m.status,
        completedOn: m.completedMonth === undefined ? null : day(rel(m.completedMonth), COMPLETED_DAY),
      })),
      involvement: w.involvement.map((i) => ({ kind: i.kind, description: i.description, peopleCount: i.peopleCount, startedOn: rel(i.startedMonth) })),
      teamCodes: members.map((u) => u.code),
      teamJoinedOn: joinedOn,
    };
  });
  return { workstreams, membership };
}
