import { useEffect, useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Grid, Group, Kbd, List, Stack, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconAlarm, IconAlertCircle, IconArrowLeft, IconCheck, IconDeviceFloppy, IconRoute } from '@tabler/icons-react';
import { allegationFormShape, emptyForm, type AllegationForm } from '../../../shared/schemas/form.ts';
import { call, CallError } from '../api/client.ts';
import { useFormState } from '../components/form/useFormState.ts';
import { AccountSection, AddressesSection, BusinessesSection, IdentifiersSection, OffenceSection, ReceiptSection, SourceSection, SubjectsSection } from '../components/form/FormSections.tsx';
import { href, navigate } from '../router.ts';
import { CompareModal, IntakeWarning, LiveCandidates, useLiveCandidates, type WarningAnswer } from '../components/links/LiveCandidates.tsx';
import type { CandidateView } from '../../../shared/api/links.ts';
import type { ApiOutput } from '../../../shared/api.ts';
import { formatDate, formatDateTime } from '../format.ts';
import type { ScanView } from '../../../shared/api/attachments.ts';
import { ScanPreview } from './ScansScreen.tsx';
import { FormSuggestions } from '../components/attachments/FormSuggestions.tsx';
import { ScanSuggestions } from '../components/attachments/ScanSuggestions.tsx';
import { Busy } from '../components/Busy.tsx';
import { GuidanceLink } from '../components/GuidanceLink.tsx';

type Loaded = { form: AllegationForm; draftId: string | null; allegationId: string | null; reference: string | null; attachments: number; scan: ScanView | null; resumed?: boolean; unit?: string | null };

/** Loads what the form starts from: a draft, an allegation to amend, or an empty form. */
function useInitial(props: Props): { loaded: Loaded | null; error: string | null } {
  const [state, setState] = useState<{ loaded: Loaded | null; error: string | null }>({ loaded: null, error: null });
  const key = `${props.reference ?? ''}:${props.draftId ?? ''}:${props.scanId ?? ''}`;
  useEffect(() => {
    let current = true;
    const load = async (): Promise<Loaded> => {
      // Amending: carry on from this person's unsaved amendments of it, if any (one draft per allegation).
      let draftId = props.draftId;
      let resumed = false;
      if (!draftId && props.reference) {
        const record = await call('allegations.get', { reference: props.reference });
        draftId = (await call('drafts.list', {})).find((d) => d.allegationId === record.id)?.id;
        resumed = !!draftId;
      }
      if (draftId) {
        const d = await call('drafts.get', { id: draftId });
        // A draft holds whatever was typed; fill in anything it lacks so the form can show it.
        const parsed = allegationFormShape.safeParse(d.form);
        const form = parsed.success ? parsed.data : { ...emptyForm(new Date()), ...(d.form as Partial<AllegationForm>) };
        let reference: string | null = null;
        let attachments = 0;
        let unit: string | null = null;
        if (d.allegationId) {
          const record = await call('allegations.get', { id: d.allegationId });
          reference = record.reference;
          attachments = record.attachments.length;
          unit = record.unit;
        }
        // A form keyed from a scan keeps its scan when resumed (from My work, or the link in the address).
        const scan = d.scanId ? ((await call('scans.list', { include: 'all' })).scans.find((s) => s.id === d.scanId && s.status === 'waiting') ?? null) : null;
        return { form, draftId: d.id, allegationId: d.allegationId, reference, attachments: attachments + (scan ? 1 : 0), scan, resumed, unit };
      }
      if (props.reference) {
        const record = await call('allegations.get', { reference: props.reference });
        const f = await call('allegations.form', { id: record.id });
        return { form: f.form, draftId: null, allegationId: record.id, reference: record.reference, attachments: f.attachments, scan: null, unit: record.unit };
      }
      if (props.scanId) {
        // Keying an allegation from a scan in the inbox: the scan is attached when the allegation is saved.
        const scan = (await call('scans.list', { include: 'all' })).scans.find((s) => s.id === props.scanId);
        if (!scan || scan.status !== 'waiting') throw new Error(scan ? `${scan.fileName} is no longer waiting in the scan inbox` : 'That scan is not in the inbox');
        return { form: emptyForm(new Date(), scan.kind === 'tiff' ? 'fax' : 'letter'), draftId: null, allegationId: null, reference: null, attachments: 1, scan };
      }
      return { form: emptyForm(new Date()), draftId: null, allegationId: null, reference: null, attachments: 0, scan: null };
    };
    load().then(
      (loaded) => current && setState({ loaded, error: null }),
      (e: unknown) => current && setState({ loaded: null, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      current = false;
    };
  }, [key, props.draftId, props.reference, props.scanId]);
  return state;
}

interface Props {
  /** Amend this allegation; a new one when absent. */
  reference?: string | undefined;
  draftId?: string | undefined;
  /** A new allegation keyed from this scan in the inbox. */
  scanId?: string | undefined;
  /** What was just added from an attachment: "path|what|where" (the viewer's "Add to form"). */
  added?: string | undefined;
}

export function AllegationFormScreen(props: Props) {
  const { loaded, error } = useInitial(props);
  if (error) {
    return (
      <Alert color="red" icon={<IconAlertCircle size={18} />} title="Could not open the form">
        {error}
      </Alert>
    );
  }
  if (!loaded) {
    return <Busy label="Opening the form…" shown />;
  }
  return <FormEditor key={`${loaded.allegationId ?? 'new'}:${loaded.draftId ?? ''}`} loaded={loaded} added={props.added} />;
}

function FormEditor({ loaded, added }: { loaded: Loaded; added?: string | undefined }) {
  const [serverError, setServerError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);
  const state = useFormState({
    initial: loaded.form,
    draftId: loaded.draftId,
    allegationId: loaded.allegationId,
    scanId: loaded.scan?.id ?? null,
    attachments: loaded.attachments,
    // Keep the draft in the address, so reopening the window comes back to it.
    onDraftId: (id) => {
      if (!loaded.allegationId) window.history.replaceState(null, '', `#/new?draft=${id}`);
    },
  });
  const { form, preview, save } = state;
  const { live, busy: looking } = useLiveCandidates(form, loaded.allegationId);
  const [comparing, setComparing] = useState<CandidateView | null>(null);
  // The intake warning: the strong candidate shown before a new allegation is saved, with what was matched.
  const [warning, setWarning] = useState<{ live: ApiOutput<'links.draftCandidates'>; candidate: CandidateView } | null>(null);
  const [warningError, setWarningError] = useState<string | null>(null);
  const serverFields = serverError?.fields;
  // A refusal from the core describes the form as it was: once the person changes anything, the live preview
  // (the same rules, re-run as they type) says what still needs putting right, field by field.
  const update = (path: Array<string | number>, value: unknown) => {
    state.update(path, value);
    if (serverError) setServerError(null);
  };
  const p = { form, update, touch: state.touch, errorAt: (path: Array<string | number>) => state.errorAt(path, serverFields), flagAt: state.flagAt };
  const problems = Object.keys(preview?.fields ?? {}).length;
  const loadedUnit = loaded.unit ?? null;
  const [addedPath = '', addedWhat, addedWhere] = (added ?? '').split('|');
  const addedNote = added && addedWhat ? { what: addedWhat, where: addedWhere || 'an attachment' } : null;
  // Bring the section that received the suggestion into view, so the person checks what was added.
  useEffect(() => {
    const section = { subjects: 'form-subjects', addresses: 'form-addresses', phones: 'form-identifiers', emails: 'form-identifiers', vehicles: 'form-identifiers', travel: 'form-identifiers' }[addedPath.split('.')[0] ?? ''];
    if (section) document.getElementById(section)?.scrollIntoView({ block: 'start' });
  }, [addedPath]);

  /** The best candidate of the form as it stands, when strong enough to show before saving. */
  async function strongCandidate(): Promise<{ live: ApiOutput<'links.draftCandidates'>; candidate: CandidateView } | null> {
    const fresh = await call('links.draftCandidates', { form, limit: 5 });
    const best = fresh.candidates[0];
    return best && best.score >= fresh.strong ? { live: fresh, candidate: best } : null;
  }

  async function submit(answer?: WarningAnswer) {
    state.setSubmitted(true);
    setServerError(null);
    setWarningError(null);
    setBusy(true);
    try {
      const draftId = state.draftId.current ?? undefined;
      if (loaded.allegationId) {
        const r = await call('allegations.update', { id: loaded.allegationId, form, ...(draftId ? { draftId } : {}) });
        navigate({ name: 'allegation', reference: r.reference });
      } else {
        if (!answer && problems === 0) {
          const strong = await strongCandidate();
          if (strong) {
            setWarning(strong);
            return;
          }
        }
        const r = await call('allegations.create', { form, ...(draftId ? { draftId } : {}), ...(answer ? { linkWarning: answer } : {}) });
        setWarning(null);
        // The scan it was keyed from goes with it; if that fails the record shows its scan as missing.
        if (loaded.scan) await call('scans.attach', { scanId: loaded.scan.id, allegationId: r.id }).catch(() => undefined);
        navigate({ name: 'allegation', reference: r.reference, tab: 'created' });
      }
    } catch (e) {
      const error = e instanceof CallError ? e : new CallError({ code: 'internal', message: String(e) });
      // A strong candidate the screen had not seen yet (stored a moment ago): show it, as on any save.
      if (error.code === 'conflict' && error.fields.linkWarning) {
        const strong = await strongCandidate().catch(() => null);
        if (strong) {
          setWarning(strong);
          if (answer) setWarningError(error.message);
          return;
        }
      }
      if (answer) setWarningError(error.message);
      else setServerError(error);
      // Save what was typed, whatever went wrong.
      void state.saveDraft();
    } finally {
      setBusy(false);
    }
  }

  async function discard() {
    const id = state.draftId.current;
    if (id) await call('drafts.discard', { id }).catch(() => undefined);
    navigate(loaded.reference ? { name: 'allegation', reference: loaded.reference } : { name: 'queue' });
  }

  useHotkeys([['mod+Enter', () => void submit()], ['mod+S', () => void state.saveDraft()]], []);

  return (
    <Stack gap="md" maw={1500}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Anchor href={loaded.reference ? href({ name: 'allegation', reference: loaded.reference }) : href({ name: 'queue' })} size="sm">
            <Group gap={4}>
              <IconArrowLeft size={14} /> {loaded.reference ? `Back to ${loaded.reference}` : 'Back to the queue'}
            </Group>
          </Anchor>
          <Group gap="md">
            <Title order={2}>{loaded.reference ? `Amend ${loaded.reference}` : 'New allegation'}</Title>
            <GuidanceLink step="intake" />
          </Group>
          <Text size="sm" c="dimmed" aria-live="polite">
            {save.kind === 'saving' && 'Saving draft…'}
            {save.kind === 'saved' && `Draft saved ${formatDateTime(save.at)} — nothing typed is lost if you close the window`}
            {save.kind === 'error' && `Draft not saved: ${save.message}`}
            {save.kind === 'idle' && (loaded.draftId ? 'Carrying on from your draft' : 'Drafts save as you type')}
          </Text>
        </div>
        <Group gap="xs">
          <Button variant="default" onClick={() => void discard()}>
            {state.hasDraft ? 'Discard draft' : 'Cancel'}
          </Button>
          <Button leftSection={<IconDeviceFloppy size={16} />} onClick={() => void submit()} loading={busy}>
            {loaded.allegationId ? 'Save amendments' : 'Save allegation'} <Kbd ml={8} size="xs">Ctrl ↵</Kbd>
          </Button>
        </Group>
      </Group>
      {loaded.resumed && !addedNote && (
        <Alert color="indigo" variant="light" icon={<IconDeviceFloppy size={18} />} title="Carrying on from your unsaved amendments" role="status">
          You started amending {loaded.reference} earlier and did not save. Everything you added is here; save the amendments, or discard the draft to start again from the record.
        </Alert>
      )}
      {addedNote && (
        <Alert color="teal" icon={<IconCheck size={18} />} title={`Added from ${addedNote.where}`} role="status">
          {addedNote.what} is now on the form. Check it, then save the amendments (nothing is saved until you do).
        </Alert>
      )}
      {serverError ? (
        <Alert color="red" icon={<IconAlertCircle size={18} />} title={loaded.allegationId ? 'Not saved' : 'The allegation was not saved'} role="alert">
          {serverError.message} Your entries are kept in the draft.
        </Alert>
      ) : (
        state.submitted &&
        problems > 0 && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title="Not saved yet" role="alert">
            {problems === 1 ? 'One thing still needs' : `${problems} things still need`} putting right, each marked at its field. Your entries are kept in the draft.
          </Alert>
        )
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
            aria-label="Electronic form"
            noValidate
          >
            <Stack gap="md">
              <ReceiptSection p={p} autoFocus={!loaded.allegationId} />
              <OffenceSection p={p} />
              <AccountSection p={p} />
              <SubjectsSection p={p} />
              <AddressesSection p={p} />
              <BusinessesSection p={p} />
              <IdentifiersSection p={p} />
              <SourceSection p={p} />
            </Stack>
          </form>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md" style={{ position: 'sticky', top: 68, maxHeight: 'calc(100vh - 84px)', overflowY: 'auto' }}>
          {loaded.scan && (
            <Card withBorder padding="sm" component="aside" aria-label="The scan being keyed">
              <ScanPreview scan={loaded.scan} />
            </Card>
          )}
          {loaded.scan && (
            <ScanSuggestions
              scanId={loaded.scan.id}
              fileName={loaded.scan.fileName}
              form={form}
              onApply={(next) => {
                state.setForm(next);
                state.setDirty(true);
              }}
            />
          )}
          <Card withBorder padding="md" component="aside" aria-label="What saving will do">
            <Stack gap="sm">
              <Title order={3} size="h5">
                On saving
              </Title>
              {!preview ? (
                <Busy size="xs" label="Working out where it will go" />
              ) : (
                <>
                  <Group gap={6} align="flex-start" wrap="nowrap">
                    <IconRoute size={18} aria-hidden />
                    <div>
                      <Text size="sm" fw={600} data-testid="routes-to">
                        Routes to {preview.routing.unitName}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {preview.routing.reason}
                        {loaded.allegationId ? (loadedUnit === 'NAT' ? ' (saving moves it there from the National Allegations Team)' : ' (amending does not move it: reallocate from the record)') : ''}
                      </Text>
                    </div>
                  </Group>
                  <Text size="sm">
                    Initial assessment due <b>{formatDateTime(preview.assessmentDueAt)}</b>
                    <Text span size="xs" c="dimmed">
                      {' '}
                      (2 working days)
                    </Text>
                  </Text>
                  {preview.deadlines.length > 0 ? (
                    <Alert color="red" icon={<IconAlarm size={18} />} title="Time-critical" p="xs">
                      <Text size="sm">
                        {preview.deadlines[0]?.event} on {formatDate(preview.deadlines[0]?.date)} (“{preview.deadlines[0]?.text}”). It will go to the duty intelligence manager, due{' '}
                        {formatDateTime(preview.timeCriticalDueAt)}.
                      </Text>
                    </Alert>
                  ) : (
                    <Text size="sm" c="dimmed">
                      No imminent deadline found in the account.
                    </Text>
                  )}
                  {preview.warnings.length > 0 && (
                    <List size="sm" spacing={4} c="#8a3a08">
                      {preview.warnings.map((w) => (
                        <List.Item key={w}>{w}</List.Item>
                      ))}
                    </List>
                  )}
                  {problems > 0 ? (
                    <Badge color="red" variant="light" data-testid="save-readiness">
                      {problems} to put right before saving
                    </Badge>
                  ) : (
                    <Badge color="teal" variant="light" leftSection={<IconCheck size={12} />} data-testid="save-readiness">
                      Ready to save{preview.warnings.length ? ` (${preview.warnings.length === 1 ? 'a warning' : `${preview.warnings.length} warnings`} above)` : ''}
                    </Badge>
                  )}
                </>
              )}
            </Stack>
          </Card>
          <LiveCandidates live={live} busy={looking} onCompare={setComparing} />
          {loaded.allegationId && (
            <FormSuggestions
              allegationId={loaded.allegationId}
              form={form}
              onApply={(next) => {
                state.setForm(next);
                state.setDirty(true);
              }}
            />
          )}
          </Stack>
        </Grid.Col>
      </Grid>
      <CompareModal live={live} candidate={comparing} onClose={() => setComparing(null)} />
      <IntakeWarning
        key={warning?.candidate.allegationId ?? 'none'}
        live={warning?.live ?? null}
        candidate={warning?.candidate ?? null}
        busy={busy}
        error={warningError}
        onBack={() => setWarning(null)}
        onSave={(a) => void submit(a)}
      />
    </Stack>
  );
}
