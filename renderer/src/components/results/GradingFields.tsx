// The 3x5x2 grading and the harm rating as a person chooses them: source evaluation 1-3, intelligence assessment
// A-E, handling code P or C (with the conditions of sharing when C), and the harm (Intelligence Handling Model),
// each grade with what it means. Used where an allegation is graded: its own dialog and the initial assessment.
import { Radio, SimpleGrid, Stack, Textarea } from '@mantine/core';
import {
  gradingProblems,
  HARM_HINTS,
  HARM_LABELS,
  HARM_LEVELS,
  HANDLING_CODE_LABELS,
  INTELLIGENCE_ASSESSMENT_LABELS,
  SOURCE_EVALUATION_HINTS,
  SOURCE_EVALUATION_LABELS,
  type Grading,
  type GradingProblem,
  type HandlingCode,
  type HarmLevel,
  type IntelligenceAssessment,
  type SourceEvaluation,
} from '../../../../shared/domain/grading.ts';
import { HANDLING_CODES, INTELLIGENCE_ASSESSMENTS, SOURCE_EVALUATIONS } from '../../../../shared/domain/vocabularies.ts';

/** A grading being chosen: '' where nothing is chosen yet. */
export interface GradingDraft {
  source: SourceEvaluation | '';
  intelligence: IntelligenceAssessment | '';
  handling: HandlingCode | '';
  conditions: string;
  harm: HarmLevel | '';
}

export const EMPTY_GRADING: GradingDraft = { source: '', intelligence: '', handling: '', conditions: '', harm: '' };

export function draftOf(g: Grading | null | undefined): GradingDraft {
  return g ? { source: g.source, intelligence: g.intelligence, handling: g.handling, conditions: g.conditions, harm: g.harm } : EMPTY_GRADING;
}

/** What stops the draft being recorded (none when it is complete and consistent). */
export function draftProblems(d: GradingDraft): GradingProblem[] {
  return gradingProblems({ source: d.source || undefined, intelligence: d.intelligence || undefined, handling: d.handling || undefined, conditions: d.handling === 'C' ? d.conditions : '', harm: d.harm || undefined });
}

/** The grading to send, when the draft is complete. */
export function gradingOf(d: GradingDraft): Grading | null {
  if (!d.source || !d.intelligence || !d.handling || !d.harm || draftProblems(d).length) return null;
  return { source: d.source, intelligence: d.intelligence, handling: d.handling, conditions: d.handling === 'C' ? d.conditions : '', harm: d.harm };
}

export const isEmptyDraft = (d: GradingDraft): boolean => !d.source && !d.intelligence && !d.handling && !d.harm && !d.conditions.trim();

export function GradingFields({ value, onChange }: { value: GradingDraft; onChange: (d: GradingDraft) => void }) {
  const set = (patch: Partial<GradingDraft>) => onChange({ ...value, ...patch });
  return (
    <Stack>
      <SimpleGrid cols={2} spacing="lg">
        <Radio.Group label="Source evaluation" description="How far the source can be relied on" value={value.source} onChange={(v) => set({ source: v as SourceEvaluation })}>
          <Stack gap={6} mt={6}>
            {SOURCE_EVALUATIONS.map((s) => (
              <Radio key={s} value={s} label={SOURCE_EVALUATION_LABELS[s]} description={SOURCE_EVALUATION_HINTS[s]} />
            ))}
          </Stack>
        </Radio.Group>
        <Radio.Group label="Intelligence assessment" description="How the information is known" value={value.intelligence} onChange={(v) => set({ intelligence: v as IntelligenceAssessment })}>
          <Stack gap={6} mt={6}>
            {INTELLIGENCE_ASSESSMENTS.map((s) => (
              <Radio key={s} value={s} label={INTELLIGENCE_ASSESSMENT_LABELS[s]} />
            ))}
          </Stack>
        </Radio.Group>
        <Radio.Group label="Handling code" description="Whether it may be shared, and how" value={value.handling} onChange={(v) => set({ handling: v as HandlingCode })}>
          <Stack gap={6} mt={6}>
            {HANDLING_CODES.map((s) => (
              <Radio key={s} value={s} label={HANDLING_CODE_LABELS[s]} />
            ))}
          </Stack>
        </Radio.Group>
        <Radio.Group label="Harm (Intelligence Handling Model)" description="What is at stake if nothing is done" value={value.harm} onChange={(v) => set({ harm: v as HarmLevel })}>
          <Stack gap={6} mt={6}>
            {HARM_LEVELS.map((h) => (
              <Radio key={h} value={h} label={HARM_LABELS[h]} description={HARM_HINTS[h]} />
            ))}
          </Stack>
        </Radio.Group>
      </SimpleGrid>
      {value.handling === 'C' && (
        <Textarea label="Conditions of sharing" description="Who may receive it and what they may do with it: they travel with every report" required autosize minRows={2} value={value.conditions} onChange={(e) => set({ conditions: e.currentTarget.value })} />
      )}
    </Stack>
  );
}
