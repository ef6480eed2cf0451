// "Add to form" from an attachment's suggestions: the value goes into the allegation's one draft of amendments
// (adding again builds on what was added before and not yet saved, rather than starting another draft), and the
// form opens on that draft with the added field pointed out and where it came from.
import { useState } from 'react';
import type { SuggestionView } from '../../../../shared/api/attachments.ts';
import { applySuggestion, SUGGESTION_LABELS } from '../../../../shared/attachments/rules.ts';
import { allegationFormShape } from '../../../../shared/schemas/form.ts';
import type { AllegationRecord } from '../../../../shared/schemas/record.ts';
import { call, CallError } from '../../api/client.ts';
import { navigate } from '../../router.ts';

/** `onProblem`: null as adding starts, then what went wrong if it did. */
export function useAddToForm(record: Pick<AllegationRecord, 'id' | 'reference'>, attachmentId: string, onProblem: (text: string | null) => void) {
  const [adding, setAdding] = useState(false);

  async function addToForm(s: SuggestionView, fileName: string) {
    setAdding(true);
    onProblem(null);
    try {
      // One draft of amendments per allegation: adding again builds on what was added before (and not saved).
      const held = (await call('drafts.list', {})).find((d) => d.allegationId === record.id);
      const base = held ? allegationFormShape.safeParse((await call('drafts.get', { id: held.id })).form) : null;
      const current = base?.success ? base.data : (await call('allegations.form', { id: record.id })).form;
      const { form, path } = applySuggestion(current, s, { from: 'attachment', fromId: attachmentId, key: s.key });
      const draft = await call('drafts.save', { ...(held ? { id: held.id } : {}), allegationId: record.id, form });
      navigate({ name: 'edit', reference: record.reference, draft: draft.id, added: `${path.join('.')}|${SUGGESTION_LABELS[s.kind]} ${s.value}|${fileName} page ${s.page}` });
    } catch (e) {
      onProblem(e instanceof CallError ? e.message : String(e));
    } finally {
      setAdding(false);
    }
  }

  return { adding, addToForm };
}
