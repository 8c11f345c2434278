/**
 * A year of fictional "you said, we did" for the demo trust: feedback at every frontline unit
 * (themes from the faculty's list), the actions taken on it, and CORE item 22 assessments at the
 * crisis teams. PURE and seeded, like the rest of the dataset. Every summary,
 * action and name is invented; no text holds an identifier (dataset.test.ts screens them all).
 *
 * Some units close the loop well (most items answered with an action done and evidenced), some
 * do not (actions planned, drifting past their due dates, none done), and a few sought no
 * feedback at all, so criterion (c) of CORE item 22 and the coverage gaps both vary.
 */
import type { CoreItem22Criterion, FeedbackSource } from '../generated/prisma/enums';
import { addMonths, monthsBetween } from '../statistics/periods';
import { day, lastDay } from './calendar';
import { DEMO_SMALL_WARD } from './constants';
import type { FrontlineUnit } from './organisation';
import { createRandom, hashSeed, type Random } from './random';
import type { DatasetAssessment, DatasetFeedback, DatasetFeedbackAction, DatasetFeedbackLedger, DatasetFeedbackTheme, DatasetPerson } from './types';

export const DEMO_FEEDBACK_THEMES: DatasetFeedbackTheme[] = [
  { code: 'COMMUNICATION', name: 'Communication and being listened to', principleKeys: ['RELATIONAL', 'RESPONSIVE'] },
  { code: 'INVOLVEMENT', name: 'Involvement in my care', principleKeys: ['RIGHTS_BASED', 'RELATIONAL'] },
  { code: 'RESTRICTIONS', name: 'Rules and restrictions', principleKeys: ['RIGHTS_BASED'] },
  { code: 'ENVIRONMENT', name: 'The ward and building', principleKeys: ['RIGHTS_BASED'] },
  { code: 'FOOD', name: 'Food and drink', principleKeys: ['RIGHTS_BASED'] },
  { code: 'ACTIVITIES', name: 'Things to do', principleKeys: ['RELATIONAL'] },
  { code: 'ACCESS', name: 'Waiting and getting help', principleKeys: ['RESPONSIVE'] },
  { code: 'KINDNESS', name: 'Kindness and compassion', principleKeys: ['RELATIONAL'] },
  { code: 'STAFF-SUPPORT', name: 'Support and reflection for staff', principleKeys: ['REFLECTIVE'] },
];

interface Template {
  themes: string[];
  said: string;
  did: string;
  evidence: string;
  wards?: boolean;
  community?: boolean;
}

const TEMPLATES: Template[] = [
  { themes: ['COMMUNICATION'], said: 'Nobody explained why my leave was cancelled.', did: 'Leave decisions are explained in person and in writing, with the reason.', evidence: 'Audit of 20 leave decisions: a reason was given in 19.', wards: true },
  { themes: ['ENVIRONMENT'], said: 'The ward is noisy at night and I cannot sleep.', did: 'Quiet hours from 22:00, and soft-close doors fitted on the corridor.', evidence: 'Doors fitted; night-time noise checks recorded for four weeks.', wards: true },
  { themes: ['FOOD'], said: 'Meals are often cold by the time they reach the ward.', did: 'A heated trolley was bought and lunch moved half an hour earlier.', evidence: 'Trolley in use; temperature log kept by the housekeeper.', wards: true },
  { themes: ['ACTIVITIES'], said: 'There is nothing to do in the evenings and at weekends.', did: 'An evening and weekend activity programme, planned with the community meeting.', evidence: 'Programme on the noticeboard; attendance recorded each session.', wards: true },
  { themes: ['RESTRICTIONS', 'INVOLVEMENT'], said: 'The rule about mobile phones feels like a punishment.', did: 'The blanket phone restriction was reviewed with patients and lifted.', evidence: 'Restriction register updated; reviewed again at the next community meeting.', wards: true },
  { themes: ['INVOLVEMENT'], said: 'I was not invited to my own care review.', did: 'Every care review invitation now goes to the person and, if they wish, their family.', evidence: 'Invitation added to the review checklist; spot check of 15 reviews.' },
  { themes: ['COMMUNICATION', 'INVOLVEMENT'], said: 'My family were not told what the plan was.', did: 'A carers’ session after each ward round, and a carers’ leaflet.', evidence: 'Leaflet printed; carers’ sessions held weekly.' },
  { themes: ['ACCESS'], said: 'I waited weeks to hear back after being referred.', did: 'A duty worker now calls everyone referred within two working days.', evidence: 'Referral log: 94% called within two working days last month.', community: true },
  { themes: ['ACCESS', 'COMMUNICATION'], said: 'When I rang in crisis I was passed between teams.', did: 'One number for the crisis line, answered by the team that will see you.', evidence: 'New call pathway in use; call audit of one week.', community: true },
  { themes: ['COMMUNICATION'], said: 'I had to tell my story again to every new worker.', did: 'A one-page “about me”, written with the person, travels with the care plan.', evidence: 'Template in the record; used in 30 of 34 new care plans.', community: true },
  { themes: ['STAFF-SUPPORT'], said: 'Staff asked for protected time to reflect after difficult shifts.', did: 'A monthly reflective practice group is now in the rota.', evidence: 'Sessions held monthly; attendance recorded.' },
];

const COMPLIMENTS = [
  'The night staff were kind and really listened to me.',
  'My care coordinator always called back when she said she would.',
  'Thank you for treating my son with such patience.',
];

const SOURCES_WARD: FeedbackSource[] = ['FRIENDS_AND_FAMILY_TEST', 'COMMUNITY_MEETING', 'PATIENT_SURVEY', 'PALS', 'COMPLAINT', 'LIVED_EXPERIENCE_FORUM'];
const SOURCES_COMMUNITY: FeedbackSource[] = ['FRIENDS_AND_FAMILY_TEST', 'PATIENT_SURVEY', 'PALS', 'COMPLAINT', 'LIVED_EXPERIENCE_FORUM'];

const ASSESSED: CoreItem22Criterion[] = ['A_RECRUITMENT', 'B_SKILLS_MONITORED', 'D_ALL_SOURCES_CARING'];
const ASSESSMENT_EVIDENCE: Record<CoreItem22Criterion, string> = {
  A_RECRUITMENT: 'Interview packs include a values-based scenario scored by a lived-experience panel member.',
  B_SKILLS_MONITORED: 'Supervision records show interpersonal skills discussed and observed practice reviewed.',
  D_ALL_SOURCES_CARING: 'Service users, carers, referrers and staff interviewed at the fidelity review agree staff are caring.',
};

/** Days after a date ('YYYY-MM-DD'). */
function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function ownerFor(unit: FrontlineUnit, people: readonly DatasetPerson[], rng: Random): string {
  const own = people.filter((p) => p.orgUnitCode === unit.code);
  if (own.length > 0) return rng.pick(own).key;
  return rng.pick(['coproduction-lead', 'lived-experience-lead', 'peer-support-lead'].filter((k) => people.some((p) => p.key === k)));
}

export function buildFeedbackLedger(seed: number, endPeriod: string, frontline: readonly FrontlineUnit[], people: readonly DatasetPerson[]): DatasetFeedbackLedger {
  const months = monthsBetween(addMonths(endPeriod, -11), endPeriod);
  const end = lastDay(endPeriod);
  const feedback: DatasetFeedback[] = [];
  const assessments: DatasetAssessment[] = [];
  const closers: string[] = [];
  const silent: string[] = [];

  for (const unit of frontline) {
    const rng = createRandom(hashSeed(seed, 'feedback', unit.code));
    const open = unit.opensOn ?? months[0];
    const isSmallWard = unit.code === DEMO_SMALL_WARD.code;
    // About three in five close the loop; the small ward always does (the README's screenshot).
    const closes = isSmallWard || rng.chance(0.6);
    // A few seek no feedback at all in the year (a coverage gap); never the small ward.
    const quiet = !isSmallWard && rng.chance(0.12);
    if (closes && !quiet) closers.push(unit.code);
    if (quiet) {
      silent.push(unit.code);
      continue;
    }
    const templates = TEMPLATES.filter((t) => (unit.type === 'WARD' ? !t.community : !t.wards));
    const sources = unit.type === 'WARD' ? SOURCES_WARD : SOURCES_COMMUNITY;
    let n = 0;
    for (const month of months) {
      if (month < open.slice(0, 7) + '-01') continue;
      const count = isSmallWard ? (rng.chance(0.6) ? 1 : 0) : rng.poisson(0.55);
      for (let k = 0; k < count; k += 1) {
        n += 1;
        const receivedOn = day(month, rng.int(1, 28));
        const externalId = `DEMO-${unit.code}-${n}`;
        if (rng.chance(0.12)) {
          feedback.push({ orgUnitCode: unit.code, source: 'COMPLIMENT', externalId, receivedOn, themeCodes: ['KINDNESS'], summary: rng.pick(COMPLIMENTS), published: true, actions: [] });
          continue;
        }
        const template = rng.pick(templates);
        const source = template.themes.includes('STAFF-SUPPORT') ? 'STAFF_SURVEY' : rng.pick(sources);
        const actions: DatasetFeedbackAction[] = [];
        const dueOn = plusDays(receivedOn, rng.int(21, 60));
        const owner = ownerFor(unit, people, rng);
        if (closes && rng.chance(0.85)) {
          const completedOn = plusDays(receivedOn, rng.int(10, 55));
          if (completedOn <= end) actions.push({ description: template.did, ownerKey: owner, dueOn, status: 'DONE', evidence: template.evidence, completedOn, droppedReason: null });
          else actions.push({ description: template.did, ownerKey: owner, dueOn, status: 'IN_PROGRESS', evidence: null, completedOn: null, droppedReason: null });
        } else if (!closes && rng.chance(0.55)) {
          // Planned and left: many of these pass their due date (overdue is derived on reading).
          actions.push({ description: template.did, ownerKey: owner, dueOn, status: rng.chance(0.5) ? 'PLANNED' : 'IN_PROGRESS', evidence: null, completedOn: null, droppedReason: null });
        } else if (rng.chance(0.1)) {
          actions.push({ description: template.did, ownerKey: owner, dueOn, status: 'DROPPED', evidence: null, completedOn: null, droppedReason: 'Overtaken by the trust-wide change to the same rule.' });
        }
        feedback.push({ orgUnitCode: unit.code, source, externalId, receivedOn, themeCodes: template.themes, summary: template.said, published: rng.chance(closes ? 0.85 : 0.5), actions });
      }
    }
    // CORE is the crisis teams' fidelity scale: every team of the crisis family is assessed twice a year.
    if (unit.family === 'CRISIS') {
      for (const assessedOn of [day(addMonths(endPeriod, -11), 15), day(addMonths(endPeriod, -5), 15)]) {
        if (assessedOn < open) continue;
        for (const criterion of ASSESSED) {
          assessments.push({ orgUnitCode: unit.code, criterion, met: rng.chance(closes ? 0.8 : 0.45), assessedOn, assessor: 'CORE fidelity peer review team', evidence: ASSESSMENT_EVIDENCE[criterion] });
        }
      }
    }
  }
  return { themes: DEMO_FEEDBACK_THEMES, feedback, assessments, closers, silent };
}
