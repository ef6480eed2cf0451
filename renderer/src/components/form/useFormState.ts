// The electronic form's state: the form itself, which fields the person has visited, the autosaved draft, and
// the core's live preview (routing, due time, deadlines found, problems at their fields).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AllegationForm } from '../../../../shared/schemas/form.ts';
import type { ApiOutput } from '../../../../shared/api.ts';
import { call, CallError } from '../../api/client.ts';

export type Path = Array<string | number>;

/** Returns a copy of `obj` with the value at `path` replaced. */
export function setIn<T>(obj: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path as [string | number, ...Path];
  if (Array.isArray(obj)) {
    const copy = [...obj];
    copy[head as number] = setIn(copy[head as number], rest, value);
    return copy as T;
  }
  const o = (obj ?? {}) as Record<string, unknown>;
  return { ...o, [head]: setIn(o[head as string], rest, value) } as T;
}

export type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: string } | { kind: 'error'; message: string };
export type Preview = ApiOutput<'intake.preview'>;

const AUTOSAVE_MS = 800;
const PREVIEW_MS = 350;

export function useFormState(options: { initial: AllegationForm; draftId: string | null; allegationId: string | null; scanId?: string | null; attachments: number; onDraftId: (id: string) => void }) {
  const [form, setForm] = useState<AllegationForm>(options.initial);
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [preview, setPreview] = useState<Preview | null>(null);
  const [dirty, setDirty] = useState(false);
  const draftId = useRef<string | null>(options.draftId);
  const [hasDraft, setHasDraft] = useState(options.draftId !== null);
  const latest = useRef(form);
  useEffect(() => {
    latest.current = form;
  }, [form]);
  const { allegationId, attachments, onDraftId } = options;
  const scanId = options.scanId ?? null;

  // Fields changed since the last preview: their messages describe the value before, so they are hidden until the
  // preview of the form as it now stands arrives (a message lingering under a field just put right would also move
  // everything below it a moment later, under the pointer of someone about to click there).
  const [changedSincePreview, setChangedSincePreview] = useState<ReadonlySet<string>>(() => new Set());
  const update = useCallback((path: Path, value: unknown) => {
    setForm((f) => setIn(f, path, value));
    setDirty(true);
    const key = path.join('.');
    setChangedSincePreview((c) => (c.has(key) ? c : new Set(c).add(key)));
  }, []);
  const touch = useCallback((path: Path) => setTouched((t) => (t.has(path.join('.')) ? t : new Set(t).add(path.join('.')))), []);

  const saveDraft = useCallback(async (keepalive = false) => {
    setSave({ kind: 'saving' });
    try {
      const r = await call('drafts.save', { ...(draftId.current ? { id: draftId.current } : {}), allegationId, form: latest.current, ...(scanId ? { scanId } : {}) }, { keepalive });
      if (!draftId.current) {
        draftId.current = r.id;
        setHasDraft(true);
        onDraftId(r.id);
      }
      setSave({ kind: 'saved', at: r.updatedAt });
    } catch (e) {
      setSave({ kind: 'error', message: e instanceof CallError ? e.message : String(e) });
    }
  }, [allegationId, onDraftId, scanId]);

  // Autosave a moment after typing stops: nothing typed is ever lost.
  useEffect(() => {
    if (!dirty) return;
    const t = setTimeout(() => void saveDraft(), AUTOSAVE_MS);
    return () => clearTimeout(t);
  }, [form, dirty, saveDraft]);

  // Leaving the page (closing the window) saves at once.
  useEffect(() => {
    const flush = () => {
      if (dirty) void saveDraft(true);
    };
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, [dirty, saveDraft]);

  useEffect(() => {
    let current = true;
    const t = setTimeout(() => {
      call('intake.preview', { form, attachments, ...(allegationId ? { allegationId } : {}) }).then(
        (p) => {
          if (!current) return;
          setPreview(p);
          setChangedSincePreview(new Set());
        },
        () => undefined,
      );
    }, PREVIEW_MS);
    return () => {
      current = false;
      clearTimeout(t);
    };
  }, [form, attachments, allegationId]);

  /** The message to show at a field: only once the person has left the field, or tried to save. */
  const errorAt = useCallback(
    (path: Path, serverFields?: Record<string, string>): string | undefined => {
      const key = path.join('.');
      const stale = [...changedSincePreview].some((c) => c === key || key.startsWith(`${c}.`) || c.startsWith(`${key}.`));
      const msg = serverFields?.[key] ?? (stale ? undefined : preview?.fields[key]);
      return msg && (submitted || touched.has(key) || serverFields?.[key]) ? msg : undefined;
    },
    [preview, submitted, touched, changedSincePreview],
  );

  /** A value kept as the record already held it that could not be read: shown at its field, not blocking. */
  const flagAt = useCallback((path: Path): string | undefined => preview?.flags[path.join('.')], [preview]);

  return { form, setForm, update, touch, errorAt, flagAt, preview, save, saveDraft, submitted, setSubmitted, draftId, hasDraft, setDirty };
}
