// UK 3x5x2 grading and the harm rating of the Intelligence Handling Model (DOMAIN.md, "Assessment"; 000 fn30,
// §6.10). Every allegation is graded on assessment, and every intelligence report carries the grading it was sent
// with: how far the source can be relied on (1-3), how the information is known (A-E), and whether it may be
// shared lawfully as it stands (P) or only with conditions (C). The harm rating prioritises the work; the risk
// rating that sets the service standard (000 §3.8) is suggested from it. Allegations may be malicious (a rival
// business, 004 §7.27): an E grading says so and asks for the reason to be recorded.
import { HANDLING_CODES, INTELLIGENCE_ASSESSMENTS, SOURCE_EVALUATIONS, type RiskRating } from './vocabularies.ts';

export type SourceEvaluation = (typeof SOURCE_EVALUATIONS)[number];
export type IntelligenceAssessment = (typeof INTELLIGENCE_ASSESSMENTS)[number];
export type HandlingCode = (typeof HANDLING_CODES)[number];

export const SOURCE_EVALUATION_LABELS: Record<SourceEvaluation, string> = {
  '1': '1 — Reliable',
  '2': '2 — Untested',
  '3': '3 — Not reliable',
};
export const SOURCE_EVALUATION_HINTS: Record<SourceEvaluation, string> = {
  '1': 'The source has a history of reliable reporting (an agency, a known referrer whose reports were borne out)',
  '2': 'No history to judge by: most members of the public and first-time referrers',
  '3': 'Past reports from this source proved wrong, or there is reason to doubt their motive',
};
export const INTELLIGENCE_ASSESSMENT_LABELS: Record<IntelligenceAssessment, string> = {
  A: 'A — Known directly to the source',
  B: 'B — Known indirectly, corroborated',
  C: 'C — Known indirectly',
  D: 'D — Not known',
  E: 'E — Suspected to be false',
};
export const HANDLING_CODE_LABELS: Record<HandlingCode, string> = {
  P: 'P — Lawful sharing permitted',
  C: 'C — Lawful sharing permitted with conditions',
};

/** Harm rating of the Intelligence Handling Model: what is at stake if nothing is done. */
export const HARM_LEVELS = ['high', 'medium', 'low'] as const;
export type HarmLevel = (typeof HARM_LEVELS)[number];
export const HARM_LABELS: Record<HarmLevel, string> = {
  high: 'High harm',
  medium: 'Medium harm',
  low: 'Low harm',
};
export const HARM_HINTS: Record<HarmLevel, string> = {
  high: 'Risk to life or of serious harm: exploitation, modern slavery, children, firearms, drugs, organised crime',
  medium: 'Organised or repeated abuse of the immigration system: facilitation, document fraud, sham marriage, an employer of several workers',
  low: 'An individual offence with no one at risk: a lone overstayer, a single illegal worker',
};

/** The risk rating the harm suggests (the person decides): time-critical work is always immediate (000 §4.35). */
export function suggestedRiskRating(harm: HarmLevel, timeCritical: boolean): RiskRating {
  if (timeCritical) return 'immediate';
  return harm === 'high' ? 'four_hours' : harm === 'medium' ? 'forty_eight_hours' : 'thirty_days';
}

export interface Grading {
  source: SourceEvaluation;
  intelligence: IntelligenceAssessment;
  handling: HandlingCode;
  /** The conditions of sharing, when the handling code is C. */
  conditions: string;
  harm: HarmLevel;
}

export const MIN_CONDITIONS = 10;

export interface GradingProblem {
  field: 'source' | 'intelligence' | 'handling' | 'conditions' | 'harm';
  message: string;
}

/** What is wrong with a grading; empty when it can be recorded. */
export function gradingProblems(g: Partial<Grading>): GradingProblem[] {
  const out: GradingProblem[] = [];
  if (!g.source || !SOURCE_EVALUATIONS.includes(g.source)) out.push({ field: 'source', message: 'Evaluate the source: 1 reliable, 2 untested or 3 not reliable' });
  if (!g.intelligence || !INTELLIGENCE_ASSESSMENTS.includes(g.intelligence)) out.push({ field: 'intelligence', message: 'Assess the intelligence: A to E' });
  if (!g.handling || !HANDLING_CODES.includes(g.handling)) out.push({ field: 'handling', message: 'Choose the handling code: P or C' });
  const conditions = (g.conditions ?? '').trim();
  if (g.handling === 'C' && conditions.length < MIN_CONDITIONS) out.push({ field: 'conditions', message: `Handling code C needs its conditions (at least ${MIN_CONDITIONS} characters): who may receive it and what they may do with it` });
  if (g.handling === 'P' && conditions) out.push({ field: 'conditions', message: 'Conditions belong to handling code C; with P sharing is permitted as it stands' });
  if (!g.harm || !HARM_LEVELS.includes(g.harm)) out.push({ field: 'harm', message: 'Rate the harm: high, medium or low' });
  return out;
}

/** "2/B/C", the grading as it is written on a report. */
export function gradingCode(g: Pick<Grading, 'source' | 'intelligence' | 'handling'>): string {
  return `${g.source}/${g.intelligence}/${g.handling}`;
}

/** The grading as the lines a report prints. */
export function gradingLines(g: Grading): string[] {
  return [
    `Grading (3x5x2): ${gradingCode(g)} — source ${SOURCE_EVALUATION_LABELS[g.source].slice(4).toLowerCase()}, intelligence ${INTELLIGENCE_ASSESSMENT_LABELS[g.intelligence].slice(4).toLowerCase()}.`,
    g.handling === 'C' ? `Handling: C — sharing permitted only on these conditions: ${g.conditions.trim()}` : 'Handling: P — lawful sharing permitted.',
    `Harm (Intelligence Handling Model): ${HARM_LABELS[g.harm].toLowerCase()}.`,
  ];
}
