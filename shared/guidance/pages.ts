// Guidance for each step of the work, written for IMS Desk: what to do on each screen, what the desk checks for
// you and what it cannot, and why — each rule traced to the inspections (seeds/000-004; DOMAIN.md). Staff could
// not find or trust the guidance they had (000 §6.7-6.9): it was a 147-page manual many had never seen, and the
// desk aid did not say how to process attachments or where source details go (000 §5.9). The Home Office accepted
// that guidance must be searchable, marked with its operative date, and say what changed and why (001 rec 3;
// 004 rec 2). Each page here keeps its whole history: every version's operative date and what it changed.

export const GUIDANCE_STEPS = [
  'intake',
  'routing',
  'time-critical',
  'checks',
  'grading',
  'outcomes',
  'compliance',
  'dissemination',
  'sources',
  'management-information',
] as const;
export type GuidanceStep = (typeof GUIDANCE_STEPS)[number];

export interface GuidanceVersion {
  version: number;
  /** The date from which this version is the rule (YYYY-MM-DD). */
  operative: string;
  /** What changed from the version before, and why. */
  changes: readonly string[];
}

export interface GuidanceSection {
  heading: string;
  /** Paragraphs; a line starting "- " is a point of a list. */
  text: readonly string[];
}

export interface GuidancePage {
  step: GuidanceStep;
  title: string;
  /** Who does this step. */
  who: string;
  /** One sentence: the point of the step. */
  summary: string;
  /** Where in IMS Desk the step is done. */
  where: string;
  sections: readonly GuidanceSection[];
  /** The findings and paragraphs the rules come from. */
  sources: readonly string[];
  /** Every version, oldest first; the last is in force. */
  history: readonly GuidanceVersion[];
}

export const GUIDANCE: readonly GuidancePage[] = [
  {
    step: 'intake',
    title: 'Intake: one electronic form for every allegation',
    who: 'NAT sifters, RIU analysts, LACAT',
    summary: 'Every allegation, however it arrived, becomes one electronic form with everything it says on the form itself, and letters and faxes keep their original scan.',
    where: 'New allegation (press N anywhere), the Scan inbox, and Import for files of online forms.',
    sections: [
      {
        heading: 'Record the channel truthfully',
        text: [
          'Choose the channel the allegation really came by: online form, email, letter, fax, telephone, internal staff referral, Crimestoppers, MP or other agency. The old system could not tell an online form from an email (000 §4.23); management information on channels is only as good as this field.',
          'Choose the reporter type separately (member of the public, Crimestoppers, other agency, Home Office staff, MP). It feeds the Figure 10 breakdown in management information.',
        ],
      },
      {
        heading: 'Put everything on the form, including what is only in an attachment',
        text: [
          'The inspection found details that lived only in attachments in 28% of records, and a drug smuggler’s flight was missed because the itinerary was only in a scan (000 §4.26, Figure 7). Search now reads attachment text, but the form is what matching, routing and management information read.',
          '- Open each attachment in the viewer. The desk reads it (OCR) and offers what it finds — names, dates of birth, addresses, postcodes, phones, vehicles, flights — as suggestions beside the page, outlined on the scan.',
          '- Accept each suggestion that is right with one click; it goes into the form and you see where. Nothing is added without you.',
          '- A form counts as complete in management information when it has an offence type, a named subject or a business, a located address (a full postcode, or a first line and a town) and an account of at least 20 characters.',
        ],
      },
      {
        heading: 'Letters and faxes: attach the original scan, or say why not',
        text: [
          'Only 55% of letters and faxes had their original attached, with no reason recorded for the rest (000 §4.30). The record shows “Original scan missing” in red until a scan is attached or a reason is recorded in the form. Scans dropped in the watched folder wait in the Scan inbox until a sifter makes them an allegation or attaches them to one.',
        ],
      },
      {
        heading: 'Before you save: the desk shows possible duplicates',
        text: [
          'As you type a subject, earlier allegations about the same person appear beside the form. If a strong candidate exists, saving asks you to look at it and give a reason to go on. You are not deciding the link here: the analyst does that in the duplicate/link panel. Say what you saw.',
        ],
      },
    ],
    sources: ['000 §3.6, §4.23-4.31, Figure 7', '001 rec 1 (record all allegations on the system, no local spreadsheets)', 'DOMAIN.md “The allegation record”'],
    history: [{ version: 1, operative: '2026-12-06', changes: ['First issue for IMS Desk. Replaces the desk aid, which did not say how to process attachments (000 §5.9).'] }],
  },
  {
    step: 'routing',
    title: 'Routing and reallocation',
    who: 'NAT sifters, LACAT, RIU analysts',
    summary: 'Online-form allegations route themselves by the postcode of the alleged offence; move one to another unit only with a reason, which the record keeps.',
    where: 'The allegation’s Reallocate action; administrators edit the postcode table under Routing.',
    sections: [
      {
        heading: 'How the desk routes',
        text: [
          '- By the postcode of the offence location (or, failing that, of a work or home address) to the Regional Intelligence Unit that covers it.',
          '- London postcodes go to LACAT, which assesses every London allegation first and passes each to one of the five London units (000 §3.4).',
          '- No usable location: the allegation goes to the National Allegations Team to sift (000 §3.4). NAT works out the location and reallocates.',
          'The record says how it was routed (“postcode B8 → West Midlands RIU”), so a wrong route can be seen and put right.',
        ],
      },
      {
        heading: 'Reallocating',
        text: [
          'Use Reallocate on the allegation, choose the unit and give the reason. The move, who made it and why stay in the routing history. The initial-assessment clock does not restart: it counts from receipt, whichever unit holds the allegation.',
        ],
      },
    ],
    sources: ['000 §3.4-3.5', 'DOMAIN.md “Routing and service standards”'],
    history: [{ version: 1, operative: '2026-12-06', changes: ['First issue for IMS Desk; before it, this step was in the 147-page Immigration Intelligence Manual that many staff had never seen (000 §6.7).'] }],
  },
  {
    step: 'time-critical',
    title: 'Time-critical allegations: spot on receipt, act within 24 hours',
    who: 'Everyone at intake; duty intelligence managers',
    summary: 'An allegation about something imminent — a hearing, a wedding, a flight, a move — goes to the duty intelligence manager at once, who acts within 24 hours.',
    where: 'The red Time-critical banner on the allegation; the Time-critical view of the work queue (duty managers start there).',
    sections: [
      {
        heading: 'Why this matters',
        text: [
          'An appeal hearing three days after receipt was not assessed for five days; the appeal was allowed (000 Figure 9). A subject moving house in three days was assessed two weeks later (000 §4.34). The guidance said refer time-critical cases at once, but it only works if they are spotted on receipt (000 §4.35).',
        ],
      },
      {
        heading: 'What the desk does',
        text: [
          'When an allegation is saved or imported, the desk reads the account and attachment text for dates of events within 14 days of receipt (“the hearing is this Friday”, “flying out tomorrow”, “moving next week”) and flags it time-critical, with the sentence it found. It then sits at the top of the unit’s queue and in the duty manager’s Time-critical view, due 24 hours after receipt.',
        ],
      },
      {
        heading: 'What you do',
        text: [
          '- Duty manager: read the sentence. Confirm the flag (it stays urgent) or dismiss it with a reason (“the date is the writer’s birthday”). Both are kept.',
          '- Record the initial assessment with risk rating Immediate (the grading panel suggests it for time-critical work). Management information counts the 24-hour standard as met when the assessment is recorded within 24 hours of receipt.',
          '- If the desk missed a deadline in the text, say so in a note and raise it with the duty manager; then assess at once.',
        ],
      },
    ],
    sources: ['000 §4.33-4.35, Figure 9', 'DOMAIN.md “Routing and service standards”'],
    history: [{ version: 1, operative: '2026-12-06', changes: ['First issue for IMS Desk; before it, this step was in the 147-page Immigration Intelligence Manual that many staff had never seen (000 §6.7).'] }],
  },
  {
    step: 'checks',
    title: 'Background checks and the cross-check before any outcome',
    who: 'RIU analysts',
    summary: 'Where a name or address is known, check Home Office systems and record what you found; cross-check against existing allegations; only then choose an outcome.',
    where: 'Checks and outcome panel, and the Duplicates and links panel, on the allegation.',
    sections: [
      {
        heading: 'Background checks',
        text: [
          'In over half the NFA-actionable cases sampled there was no evidence of any background check (000 §4.10). The desk will not record an outcome until checks on Home Office systems (CID/Atlas, CRS, PNC, Warnings Index, NOD) are recorded, whenever the record holds a full name (a forename beyond an initial and a surname) or a full address.',
          '- Record a check for each system you searched: which subject, what it found (no trace, trace, could not be done) and the result in words. Your name and the time are added.',
          '- A duplicate may rely on the checks recorded on its original.',
        ],
      },
      {
        heading: 'Cross-check against existing allegations',
        text: [
          'A quarter of one sample were duplicates already on the system under another reference (000 §4.12). Managers did not want automatic linking (000 §4.13): the desk proposes, you decide.',
          '- Open the Duplicates and links panel. Each candidate shows its score and why (same date of birth, surname typo, same phone).',
          '- Judge each suggested candidate: same allegation (duplicate), associated, or not a match, with a reason. Then record the cross-check.',
          '- A new strong candidate arriving later blocks the outcome until you judge it.',
        ],
      },
    ],
    sources: ['000 §4.10-4.19 and the recommendation after §4.13', '004 §5.13 (mandatory checks)', 'DOMAIN.md “Assessment”'],
    history: [{ version: 1, operative: '2026-12-06', changes: ['First issue for IMS Desk; before it, this step was in the 147-page Immigration Intelligence Manual that many staff had never seen (000 §6.7).'] }],
  },
  {
    step: 'grading',
    title: 'Grading (3x5x2) and the harm rating',
    who: 'RIU analysts, duty managers',
    summary: 'Grade every allegation on assessment — how reliable the source is, how the information is known, whether and how it may be shared — and rate the harm, which suggests the risk rating.',
    where: 'The Grading panel on the allegation; the intelligence report prints it.',
    sections: [
      {
        heading: 'Source evaluation (1-3)',
        text: [
          '- 1 Reliable: a source with a history of reports borne out (an agency, a referrer whose earlier reports proved right).',
          '- 2 Untested: no history to judge by. Most members of the public and first-time referrers.',
          '- 3 Not reliable: earlier reports proved wrong, or there is reason to doubt the motive.',
          'Judge the source, not the story. Repeat referrers are NSU’s to review (see Sources).',
        ],
      },
      {
        heading: 'Intelligence assessment (A-E)',
        text: [
          '- A: known directly to the source (they saw it). B: known indirectly and corroborated (your checks confirm it). C: known indirectly (heard it). D: not known. E: suspected to be false.',
          'Allegations can be malicious — against a rival business, for instance (004 §7.27). Grade E when the record gives reason, and say why in a note.',
        ],
      },
      {
        heading: 'Handling code (P or C)',
        text: [
          '- P: lawful sharing permitted. C: lawful sharing permitted only with conditions — write the conditions (who may receive it, what they may do with it). A C grading without conditions cannot be saved.',
          'The handling code travels with every intelligence report; another department receives it with its conditions.',
        ],
      },
      {
        heading: 'Harm (Intelligence Handling Model)',
        text: [
          'The Intelligence Handling Model prioritises intelligence by harm (000 fn30). High: risk to life or of serious harm — exploitation, modern slavery, children, firearms, drugs, organised crime. Medium: organised or repeated abuse of the system — facilitation, document fraud, sham marriage, an employer of several workers. Low: an individual offence with no one at risk.',
          'The panel suggests the risk rating from the harm: high → 4 hours, medium → 48 hours, low → 30 days; time-critical → immediate. You decide.',
        ],
      },
      {
        heading: 'Rules the desk enforces',
        text: [
          '- A report cannot be sent (tasked or disseminated) until the allegation is graded.',
          '- Every grading and regrading is audited and appears in the allegation’s history with what it was before.',
        ],
      },
    ],
    sources: ['DOMAIN.md “Assessment” (UK 3x5x2)', '000 fn30, §6.10 (Intelligence Handling Model)', '004 §7.27 (malicious intelligence)', '001 rec 5 (standards for receipt, evaluation and distribution)'],
    history: [{ version: 1, operative: '2026-12-06', changes: ['First issue for IMS Desk. Changed from the desk’s first release, where the assessment recorded a risk rating only: grading is recorded in the desk: 3x5x2, conditions for handling code C, and the harm rating that suggests the risk rating.', 'A report can no longer be sent ungraded.'] }],
  },
  {
    step: 'outcomes',
    title: 'Choosing the outcome',
    who: 'RIU analysts',
    summary: 'Every allegation ends in one of three categories; choose the one the record supports, because management information and the compliance check read it.',
    where: 'Record outcome, in the Checks and outcome panel.',
    sections: [
      {
        heading: 'The three categories (000 §3.7)',
        text: [
          '- Actioned: referred to a team to progress, with at least one action recorded with its recipient — tasked to an ICE team, tasked to a crime team, disseminated internally, disseminated externally (an intelligence report), or a marker on CID, CRS or the Warnings Index (Figure 2).',
          '- NFA actionable: enough to act on, not enough priority now.',
          '- NFA non-actionable: a duplicate (name the linked original), insufficient information, offence unclear, or the subject has valid leave.',
        ],
      },
      {
        heading: 'Getting the category right',
        text: [
          'A third of “actioned” cases had no action at all, and NFA actionable was right in only 4 of 25 cases (000 §4.3, §4.11). The desk makes the common mistakes impossible:',
          '- Actioned needs at least one action already recorded in the Actions panel (recipient, date, what was sent). Record the action first, then the outcome.',
          '- NFA non-actionable with a full name or address needs background checks first; “duplicate” needs the original judged the same allegation.',
          '- Write the rationale for the compliance officer: why this category, on this record.',
        ],
      },
    ],
    sources: ['000 §3.7, §4.2-4.19, Figure 2', 'DOMAIN.md “Assessment”'],
    history: [{ version: 1, operative: '2026-12-06', changes: ['First issue for IMS Desk. Changed from the desk’s first release: actioned now needs an action recorded with its recipient (Actions panel) before the outcome; ticking an action on the outcome is no longer enough, because it said nothing of who received it or what they did.'] }],
  },
  {
    step: 'compliance',
    title: 'Compliance sign-off and sample checks',
    who: 'Compliance officers; managers',
    summary: 'Only a compliance officer closes a case, after checking it against the checklist; managers check a random sample of closed cases every month and record what they find.',
    where: 'Compliance sign-off on the allegation; Sample checks (managers).',
    sections: [
      {
        heading: 'Signing off',
        text: [
          'Managers said every case was checked before closure; the inspection found evidence of it in 14% (000 §4.38-4.39). The sign-off records the evidence:',
          '- Confirm each item you checked: background checks recorded and read; cross-check reviewed; outcome category right for the record; actions or NFA reason supported; source details only in the restricted pane. Approving needs every item and closes the case.',
          '- If anything is wrong, return it with a note saying what to put right. The returned outcome stays in the history.',
          '- You cannot sign off an outcome you chose.',
        ],
      },
      {
        heading: 'Managers’ monthly sample checks',
        text: [
          'First-line assurance had lapsed and its record-keeping was weak (004 §7.36-7.41). Each month, draw your unit’s sample on the Sample checks screen: the desk picks at random a tenth of the cases closed that month (at least five; all of them if five or fewer) and records who drew it and from how many.',
          '- Open each case, read it against the checklist and record the result: no issues, or issues with each finding (wrong outcome category, checks missing, no cross-check, form incomplete, scan missing, source exposed, late assessment, grading wrong, not followed up) and a note.',
          '- Management information shows, by unit and period, how many cases were sampled, checked, and found wanting.',
        ],
      },
    ],
    sources: ['000 §4.38-4.41', '004 §7.35-7.54 (first- and second-line assurance)', '001 rec 5'],
    history: [{ version: 1, operative: '2026-12-06', changes: ['First issue for IMS Desk. New: managers’ monthly sample checks are drawn and recorded in the desk, and their coverage is in management information.'] }],
  },
  {
    step: 'dissemination',
    title: 'Actions and dissemination, followed to their result',
    who: 'RIU analysts',
    summary: 'Record each action with who received it, what was sent and when; the desk sets the follow-up date; chase it until the recipient’s result is recorded on the allegation.',
    where: 'The Actions panel on the allegation; the Follow-ups queue.',
    sections: [
      {
        heading: 'Why follow up',
        text: [
          'A case was actioned correctly and closed, but the visa post added the alert a month late, after the visa was issued (000 Figure 5). A CID marker was placed where the caseworker needed a call (000 §4.7). Results were not kept and nobody monitored what receiving teams did (000 §4.9).',
        ],
      },
      {
        heading: 'Recording an action',
        text: [
          '- Choose the action (Figure 2) and the recipient: the ICE team, the crime team, another unit, another part of the Home Office, another department, or the system for a marker. Name them (“ICE Birmingham”).',
          '- Reports that leave the unit are the sanitised intelligence report: the desk builds it, with the grading and handling code, removes source details (000 §5.6), and keeps exactly what was sent.',
          '- Another department: give the legal basis (the statutory gateway) and the reference of the agreement (MoU) it is shared under. The desk will not send without them (003).',
          '- The report must be graded first (see Grading).',
        ],
      },
      {
        heading: 'Follow-up dates, by rule',
        text: [
          '- ICE or crime team: 20 working days (tasking meets about monthly; most actioned cases conclude within three months, 000 §4.2).',
          '- Another unit or part of the Home Office: 5 working days.',
          '- Another department: 10 working days, the longest return agreements allow (003 §6.54, §6.110).',
          '- A marker on a system: 2 working days, to confirm it is in place.',
          '- Time-critical or an immediate/4-hour risk rating: the next working day; a 48-hour rating: 2 working days.',
        ],
      },
      {
        heading: 'Recording the result',
        text: [
          '- When the recipient reports back, record the result on the action: visited, arrested, no trace, not actioned (say why), marker placed, or other. It appears on the allegation and in management information, and the follow-up leaves the queue.',
          '- Visit debriefs come back as feedback on the allegation: date, officer in charge, premises, who was encountered, arrests and observations. A line like “no offenders encountered” tells the next analyst nothing (004 §7.4); record what happened.',
          '- Overdue follow-ups are in the Follow-ups queue: chase the recipient and record what they say.',
        ],
      },
    ],
    sources: ['000 §4.2-4.9, Figures 2 and 5, §5.6', '003 (legal basis and agreements; §6.54, §6.110-6.112)', '004 §7.1-7.7 (debriefs), §6.36'],
    history: [{ version: 1, operative: '2026-12-06', changes: ['First issue for IMS Desk. Changed from the desk’s first release, where actions were ticked on the outcome: each action names its recipient, what was sent and when, and falls due for follow-up by rule; results and debriefs are recorded on the allegation; overdue follow-ups have a queue.', 'Sharing with another department needs its legal basis and agreement reference.'] }],
  },
  {
    step: 'sources',
    title: 'Sources: the restricted pane',
    who: 'Everyone; NSU officers',
    summary: 'Source details live only in the restricted pane, open only to staff allocated to the case and NSU; the desk keeps them out of everything else.',
    where: 'The Source pane on the allegation; Repeat referrers (NSU).',
    sections: [
      {
        heading: 'Where source details go',
        text: [
          'Human intelligence sources must be protected; where a source divulges their identity, it must be accessible only to those with a need to know (000 Figure 11). In 37% of cases with source details, they were visible outside the restricted page, mostly in scanned letters (000 §5.8).',
          '- Type source details only in the Source pane. Online-form details go there automatically.',
          '- The desk withholds the source’s name, phone, email and address wherever open text repeats them, keeping the original restricted. A scan that names its writer is shown as a sanitised copy; the original is restricted like the pane.',
          '- Opening the pane shows a warning and writes an audit entry for SACU before anything is shown (000 §5.7).',
        ],
      },
      {
        heading: 'Contacting sources, CHIS and repeat referrers',
        text: [
          'Log every contact with a source in the pane (when, how, and whether you asked them to find something out). Asking a source to obtain information can create a CHIS relationship (000 §5.14-5.15): the desk flags such patterns, and repeat referrers, for NSU, who review them without the details being shown to anyone else.',
        ],
      },
      {
        heading: 'Retention',
        text: ['Everything is disclosable under CPIA and kept (000 §5.17): notes are appended, never edited; an amendment keeps the original.'],
      },
    ],
    sources: ['000 §5.3-5.17, Figure 11', 'DOMAIN.md “Sources”'],
    history: [{ version: 1, operative: '2026-12-06', changes: ['First issue for IMS Desk. The old desk aid did not say that source details belong on the restricted page (000 §5.9).'] }],
  },
  {
    step: 'management-information',
    title: 'Reading the management information',
    who: 'Managers; compliance officers and duty managers for their unit',
    summary: 'Every figure is counted from the records as they stand and opens the allegations behind it; check a figure by opening it.',
    where: 'Management information (MI) on the menu; `ims mi` on the command line.',
    sections: [
      {
        heading: 'What the figures count',
        text: [
          'The inspection found management information unreliable because outcomes were wrongly recorded (000 §6.6). Here each figure is computed from each allegation’s own record, and each group says exactly what it counts.',
          '- Timeliness is in the buckets of Figure 8: working days from receipt to initial assessment, in the owning unit’s calendar (weekends and that nation’s bank holidays excluded). Not known: no assessment date — mostly records concluded on a legacy system.',
          '- The period is the date of receipt: “last month” means allegations received last month, as the inspection sampled.',
          '- Overdue figures are judged at the moment you look.',
        ],
      },
      {
        heading: 'Using it',
        text: [
          '- Choose national, a region or a unit, and the period; break the figures down by unit, region or month to see regional variation (000 §6.5).',
          '- Click any number, or any bar, to see the allegations behind it in a queue you can open one by one.',
          '- Export CSV for a spreadsheet; PDF report to print or send (figures only, no names).',
        ],
      },
    ],
    sources: ['000 §6.5-6.6, Figures 2, 6, 8, 10', '004 §7.18-7.24', '001 rec 6'],
    history: [{ version: 1, operative: '2026-12-06', changes: ['First issue: management information is computed in the desk from the records, replacing reports that could not be trusted (000 §6.6).'] }],
  },
];

const BY_STEP = new Map(GUIDANCE.map((p) => [p.step, p]));

export function guidancePage(step: string): GuidancePage | undefined {
  return BY_STEP.get(step as GuidanceStep);
}

/** The version in force. */
export function currentVersion(page: GuidancePage): GuidanceVersion {
  return page.history.at(-1) as GuidanceVersion;
}

/** The page as plain text, for the search index. */
export function guidanceText(page: GuidancePage): string {
  return [page.summary, page.where, ...page.sections.flatMap((s) => [s.heading, ...s.text]), ...page.sources].join('\n');
}
