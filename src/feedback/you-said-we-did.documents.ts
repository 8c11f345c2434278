import { escapeXml as e } from '../board-pack/svg-text';
import { tablesToCsv, type Table } from '../board-pack/board-pack-tables';
import { documentOpening } from '../board-pack/board-pack-html';
import type { FeedbackSource } from './feedback.type';
import { isoDay } from './feedback.type';
import type { YouSaidWeDidPair, YouSaidWeDidView } from './you-said-we-did.service';

/**
 * "You said, we did" as a printable page for a ward's wall and as CSV. The page follows the
 * board pack's HTML conventions (board-pack-html.ts): one self-contained file (inline CSS, no
 * scripts, fonts or images), lang en-GB, a skip link, headings in order, NHS colours with AA
 * contrast, status always in words, and an A4 portrait print layout.
 */

const SOURCE_WORDS: Record<FeedbackSource, string> = {
  FRIENDS_AND_FAMILY_TEST: 'Friends and Family Test',
  PATIENT_SURVEY: 'Patient survey',
  COMPLAINT: 'Complaint',
  PALS: 'PALS',
  COMPLIMENT: 'Compliment',
  COMMUNITY_MEETING: 'Community meeting',
  LIVED_EXPERIENCE_FORUM: 'Lived experience forum',
  STAFF_SURVEY: 'Staff survey',
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 2026-03-04 → "4 March 2026". */
export function dayWords(date: Date): string {
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

function actionWords(pair: YouSaidWeDidPair): { status: string; detail: string } {
  const action = pair.action;
  if (!action && pair.feedback.source === 'COMPLIMENT') return { status: 'Thank you: we shared this with the team', detail: '' };
  if (!action) return { status: 'We are working on it', detail: 'No action has been recorded yet.' };
  switch (action.status) {
    case 'DONE':
      return { status: `Done on ${dayWords(action.completedOn!)}`, detail: action.evidence ?? '' };
    case 'IN_PROGRESS':
      return { status: `In progress: due ${dayWords(action.dueOn)}${action.overdue ? ' (overdue)' : ''}`, detail: '' };
    default:
      return { status: `Planned: due ${dayWords(action.dueOn)}${action.overdue ? ' (overdue)' : ''}`, detail: '' };
  }
}

export function renderYouSaidWeDidHtml(view: YouSaidWeDidView, generatedAt: Date): string {
  const title = `You said, we did: ${view.orgUnit.name}`;
  const period = `${dayWords(view.from)} to ${dayWords(view.to)}`;
  const done = view.pairs.filter((p) => p.action?.status === 'DONE').length;
  const actions = view.pairs.filter((p) => p.action !== null).length;
  const items = view.pairs.map((pair, i) => {
    const words = actionWords(pair);
    const themes = pair.themes.map((t) => t.name).join(', ');
    return [
      `<article class="pair" aria-labelledby="pair-${i}">`,
      `<h2 id="pair-${i}" class="pair-heading">${e(`${SOURCE_WORDS[pair.feedback.source]}, ${dayWords(pair.feedback.receivedOn)}`)}${pair.orgUnit.code !== view.orgUnit.code ? ` <span class="where">${e(pair.orgUnit.name)}</span>` : ''}</h2>`,
      '<div class="columns">',
      '<section class="said">',
      '<h3>You said</h3>',
      `<p class="summary">${e(pair.feedback.summary)}</p>`,
      themes ? `<p class="themes"><span class="label">Themes:</span> ${e(themes)}</p>` : '',
      '</section>',
      `<section class="did${pair.action?.status === 'DONE' ? ' is-done' : ''}">`,
      '<h3>We did</h3>',
      pair.action ? `<p class="action">${e(pair.action.description)}</p>` : '',
      `<p class="status"><strong>${e(words.status)}</strong></p>`,
      words.detail ? `<p class="evidence"><span class="label">How we know:</span> ${e(words.detail)}</p>` : '',
      '</section>',
      '</div>',
      '</article>',
    ]
      .filter(Boolean)
      .join('\n');
  });
  return [
    ...documentOpening(title, STYLE),
    '<a class="skip-link" href="#main">Skip to what you said and what we did</a>',
    '<header class="top">',
    `<p class="kicker">${e(view.orgUnit.name)}</p>`,
    '<h1>You said, we did</h1>',
    `<p class="period">Feedback received from ${e(period)}. ${actions === 0 ? '' : e(`${done} of ${actions} ${actions === 1 ? 'action is' : 'actions are'} done.`)}</p>`,
    '</header>',
    '<main id="main">',
    view.pairs.length === 0 ? '<p class="empty">No published feedback in this period yet.</p>' : items.join('\n'),
    '</main>',
    `<footer class="page-footer"><p>${e(`${view.orgUnit.name} (${view.orgUnit.code}) · made ${isoDay(generatedAt)} · what you tell us is reviewed before it is shown here, and never names anyone.`)}</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The CSV columns (README "You said, we did"). */
export const YOU_SAID_WE_DID_COLUMNS = [
  'org_unit_code',
  'org_unit_name',
  'received_on',
  'source',
  'themes',
  'you_said',
  'we_did',
  'action_status',
  'due_on',
  'completed_on',
  'evidence',
];

export function youSaidWeDidTable(view: YouSaidWeDidView): Table {
  return {
    name: 'You said, we did',
    columns: YOU_SAID_WE_DID_COLUMNS,
    rows: view.pairs.map((p) => [
      p.orgUnit.code,
      p.orgUnit.name,
      isoDay(p.feedback.receivedOn),
      p.feedback.source,
      p.themes.map((t) => t.code).join(';'),
      p.feedback.summary,
      p.action?.description ?? null,
      p.action?.status ?? null,
      p.action ? isoDay(p.action.dueOn) : null,
      p.action?.completedOn ? isoDay(p.action.completedOn) : null,
      p.action?.evidence ?? null,
    ]),
  };
}

export function renderYouSaidWeDidCsv(view: YouSaidWeDidView): string {
  return tablesToCsv([youSaidWeDidTable(view)]);
}

const STYLE = `
:root { --text: #212B32; --secondary: #425563; --link: #005EB8; --border: #D8DDE0; --pale: #F0F4F5; --done: #007F3B; --focus: #FFEB3B; }
* { box-sizing: border-box; }
body { margin: 0; font-family: Arial, Helvetica, sans-serif; font-size: 18px; line-height: 1.45; color: var(--text); background: #FFFFFF; }
.top, main, .page-footer { max-width: 1000px; margin: 0 auto; padding: 0 24px; }
.top { padding-top: 28px; padding-bottom: 12px; border-bottom: 6px solid var(--link); }
.kicker { margin: 0; color: var(--secondary); font-weight: bold; text-transform: uppercase; letter-spacing: 0.04em; font-size: 1rem; }
h1 { font-size: 2.6rem; margin: 0.1em 0 0.2em; }
.period { margin: 0 0 8px; font-size: 1.1rem; }
.skip-link { position: absolute; left: -10000px; top: 0; padding: 8px 16px; background: var(--focus); color: var(--text); font-weight: bold; z-index: 10; }
.skip-link:focus { left: 16px; top: 16px; outline: 3px solid var(--text); }
.pair { border: 1px solid var(--border); border-top: 6px solid var(--link); margin: 24px 0; padding: 0 20px 12px; break-inside: avoid; }
.pair-heading { font-size: 1.1rem; color: var(--secondary); margin: 12px 0 4px; }
.where { font-weight: normal; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 0 28px; }
.columns h3 { font-size: 1.5rem; margin: 8px 0 4px; }
.summary, .action { font-size: 1.15rem; margin: 4px 0 8px; }
.did { border-left: 6px solid var(--border); padding-left: 16px; }
.did.is-done { border-left-color: var(--done); }
.status { margin: 4px 0; }
.label { font-weight: bold; color: var(--secondary); }
.themes, .evidence { margin: 4px 0; color: var(--secondary); }
.empty { font-size: 1.2rem; padding: 24px 0; }
.page-footer { border-top: 1px solid var(--border); margin-top: 32px; color: var(--secondary); font-size: 0.95rem; }
@media (max-width: 700px) { .columns { grid-template-columns: 1fr; } }
@media print {
  @page { size: A4 portrait; margin: 12mm; }
  body { font-size: 12pt; }
  .top, main, .page-footer { max-width: none; padding: 0; }
  .skip-link { display: none; }
  .pair { margin: 6mm 0; }
}
`.trim();
