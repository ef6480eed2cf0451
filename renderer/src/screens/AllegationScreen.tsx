import { useEffect, useState, type ReactNode } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { IconAlertCircle, IconAlertTriangle, IconArrowLeft, IconCheck, IconFileText, IconHistory, IconNote, IconPaperclip, IconPencil, IconTimeline } from '@tabler/icons-react';
import { NoteDialog } from '../components/notes/NoteDialog.tsx';
import type { UserView } from '../../../shared/api.ts';
import { CaseActions } from '../components/CaseActions.tsx';
import { SourcePane } from '../components/SourcePane.tsx';
import { LinkPanel } from '../components/links/LinkPanel.tsx';
import { AssessmentPanel } from '../components/assessment/AssessmentPanel.tsx';
import { AttachmentsPanel } from '../components/attachments/AttachmentsPanel.tsx';
import { TimeCriticalBanner } from '../components/TimeCriticalBanner.tsx';
import { AttachmentViewer } from '../components/attachments/AttachmentViewer.tsx';
import { GradingPanel } from '../components/results/GradingPanel.tsx';
import { ActionsPanel } from '../components/results/ActionsPanel.tsx';
import { HistorySection } from '../components/results/HistorySection.tsx';
import { scanMissing } from '../../../shared/attachments/rules.ts';
import type { AllegationPlace } from '../router.ts';
import type { AllegationRecord } from '../../../shared/schemas/record.ts';
import { CHANNEL_LABELS, GENDER_LABELS, OFFENCE_TYPE_LABELS, REPORTER_TYPE_LABELS, RISK_RATING_LABELS, OUTCOME_LABELS } from '../../../shared/domain/vocabularies.ts';
import { unitName } from '../../../shared/domain/units.ts';
import { useCall } from '../api/useCall.ts';
import { age, formatDate, formatDateTime } from '../format.ts';
import { DueBadge, StatusBadge, TimeCriticalBadge } from '../components/badges.tsx';
import { Busy } from '../components/Busy.tsx';
import { EntityLink } from '../components/entities/EntityLink.tsx';
import { Timeline as EventTimeline } from '../components/timeline/Timeline.tsx';
import { FormHistory } from '../components/history/FormHistory.tsx';
import { WatchButton } from '../components/watch/WatchButton.tsx';
import { addressEntityValue } from '../../../shared/entities/entity.ts';
import { MarkedText } from '../components/MarkedText.tsx';
import { ValueFlag } from '../components/ValueFlag.tsx';

/** The section of the record a search hit's form field sits in ("Subject 2 (associate)" -> Subjects). */
const FIELD_SECTIONS: Record<string, string> = {
  Account: 'account',
  Subject: 'subjects',
  Address: 'addresses',
  Business: 'businesses',
  Phone: 'identifiers',
  Email: 'identifiers',
  Vehicle: 'identifiers',
  Flight: 'identifiers',
};

/** Brings the place a link points at (a note, a form field's section) into view and gives it the focus. */
function usePlaceFocus(loaded: boolean, place: AllegationPlace | undefined): void {
  const target = place?.note ? `note-${place.note}` : place?.field ? `section-${FIELD_SECTIONS[place.field.split(' ')[0] ?? ''] ?? ''}-card` : null;
  useEffect(() => {
    if (!loaded || !target) return;
    // Parts of the record mount a frame or two after it loads; look for the place until it is there.
    let frame = 0;
    let tries = 0;
    const find = () => {
      const el = document.getElementById(target);
      if (el) {
        el.scrollIntoView({ block: 'center' });
        el.focus({ preventScroll: true });
      } else if (++tries < 120) frame = requestAnimationFrame(find);
    };
    find();
    return () => cancelAnimationFrame(frame);
  }, [loaded, target]);
}

function Section({ title, count, icon, children }: { title: string; count?: number; icon?: ReactNode; children: ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <Card withBorder padding="md" radius="sm" component="section" aria-labelledby={id} id={`${id}-card`} tabIndex={-1}>
      <Group gap={6} mb="sm">
        {icon}
        <Title order={3} size="h5" id={id}>
          {title}
        </Title>
        {count !== undefined && (
          <Badge size="sm" variant="light" color="gray">
            {count}
          </Badge>
        )}
      </Group>
      {children}
    </Card>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed">
      {children}
    </Text>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function fullName(s: AllegationRecord['subjects'][number]): string {
  return [s.forename, s.middleNames, s.surname].filter(Boolean).join(' ') || '(no name given)';
}

function addressLine(a: { line1: string; line2: string; town: string; postcode: string; postcodeNormalised: string | null }): string {
  return [a.line1, a.line2, a.town, a.postcodeNormalised ?? a.postcode].filter(Boolean).join(', ');
}

/** An address as written, linked to its page (every record naming the street at that postcode or town). */
function AddressLink({ a }: { a: { line1: string; line2: string; town: string; postcode: string; postcodeNormalised: string | null } }) {
  const value = addressEntityValue(a);
  return value ? <EntityLink kind="address" value={value}>{addressLine(a)}</EntityLink> : <>{addressLine(a)}</>;
}

/**
 * Notes in order; an amended note stays as written, marked, with its amendment after it (CPIA: the original is
 * kept). Anyone who may work the case can amend a note, which appends a new note naming the one it corrects.
 */
function Notes({ record, user, place }: { record: AllegationRecord; user: UserView; place?: AllegationPlace | undefined }) {
  const [amending, setAmending] = useState<AllegationRecord['notes'][number] | null>(null);
  const byId = new Map(record.notes.map((n) => [n.id, n]));
  if (record.notes.length === 0) return <Empty>No notes yet.</Empty>;
  const canAmend = user.role !== 'nsu' && user.role !== 'sacu' && record.status !== 'closed';
  return (
    <>
      <Timeline bulletSize={14} lineWidth={2}>
        {record.notes.map((n) => {
          const amended = n.amendedByNoteId ? byId.get(n.amendedByNoteId) : undefined;
          const original = n.amendsNoteId ? byId.get(n.amendsNoteId) : undefined;
          return (
            <Timeline.Item
              key={n.id}
              id={`note-${n.id}`}
              tabIndex={-1}
              className={place?.note === n.id ? 'place-target' : undefined}
              title={
                <Group gap={6} justify="space-between" wrap="nowrap">
                  <Text size="sm" fw={600}>
                    {formatDate(n.date)} · <MarkedText text={n.author} />
                    {original && (
                      <Badge ml={6} size="xs" variant="light" color="orange">
                        amends the note of {formatDate(original.date)}
                      </Badge>
                    )}
                  </Text>
                  {canAmend && !amended && (
                    <Button size="compact-xs" variant="subtle" leftSection={<IconPencil size={12} />} onClick={() => setAmending(n)} aria-label={`Amend the note of ${formatDate(n.date)} by ${n.author}`}>
                      Amend
                    </Button>
                  )}
                </Group>
              }
            >
              <Text size="sm" className="record-text" c={amended ? 'dimmed' : undefined}>
                <MarkedText text={n.text} multiline />
              </Text>
              {amended && (
                <Text size="xs" c="#a33a00">
                  Amended by {amended.author} on {formatDate(amended.date)} (the amendment follows); this original is kept.
                </Text>
              )}
            </Timeline.Item>
          );
        })}
      </Timeline>
      {amending && <NoteDialog key={amending.id} record={record} amends={amending} opened onClose={() => setAmending(null)} />}
    </>
  );
}

function AllegationTimeline({ allegationId, reference }: { allegationId: string; reference: string }) {
  const { data, error } = useCall('timeline.allegation', { allegationId });
  if (error) return <Alert color="red">{error.message}</Alert>;
  if (!data) return <Busy label="Putting the timeline together" />;
  return <EventTimeline events={data.events} label={`Timeline of ${reference}`} />;
}

function FormChanges({ allegationId, reference }: { allegationId: string; reference: string }) {
  const { data, error } = useCall('history.allegation', { allegationId });
  return (
    <Section title="Changes to the form" count={data?.entries.length} icon={<IconHistory size={16} />}>
      {error ? <Alert color="red">{error.message}</Alert> : data ? <FormHistory history={data} reference={reference} /> : <Busy label="Reading the form’s history" />}
    </Section>
  );
}

export function AllegationScreen({ reference, user, tab, place, q }: { reference: string; user: UserView; tab?: string | undefined; place?: AllegationPlace | undefined; q?: string | undefined }) {
  // Live: every panel re-reads when the store changes, so what an action did shows at once (api/live.ts), amendments from other desks included.
  const { data: r, error, loading } = useCall('allegations.get', { reference });
  usePlaceFocus(!!r, place);

  if (error) {
    return (
      <Stack>
        <Anchor href="#/queue">
          <Group gap={4}>
            <IconArrowLeft size={16} /> Back to the queue
          </Group>
        </Anchor>
        <Alert color="red" icon={<IconAlertCircle size={18} />} title={`Could not open ${reference}`}>
          {error.message}
        </Alert>
      </Stack>
    );
  }
  if (!r && loading) {
    return <Busy label={`Opening ${reference}…`} shown />;
  }
  if (!r) return null;
  const closed = r.status === 'closed';
  const tc = r.timeCriticalDetail;
  return (
    <Stack gap="md" maw={1400}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Anchor href="#/queue" size="sm" onClick={(e) => { if (window.history.length > 1) { e.preventDefault(); window.history.back(); } }}>
            <Group gap={4}>
              <IconArrowLeft size={14} /> Back
            </Group>
          </Anchor>
          <Group gap="sm" mt={4}>
            <Title order={2} className="mono">
              {r.reference}
            </Title>
            <StatusBadge status={r.status} />
            {r.timeCritical && !closed && <TimeCriticalBadge />}
            <WatchButton item={{ kind: 'allegation', value: r.reference, label: r.reference }} />
            {scanMissing({ channel: r.channel, attachments: r.attachments.length, scanMissingReason: r.scanMissingReason }) && (
              <Badge color="red" variant="filled" leftSection={<IconAlertTriangle size={12} />} title="Letters and faxes need their original scan attached, or a recorded reason why not">
                Original scan missing
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {r.offenceTypes.map((o) => OFFENCE_TYPE_LABELS[o]).join(', ') || 'Offence not recorded'} · received {formatDateTime(r.receivedAt)} by {CHANNEL_LABELS[r.channel].toLowerCase()}
          </Text>
        </div>
        <Card withBorder padding="sm">
          <SimpleGrid cols={3} spacing="lg" verticalSpacing={4}>
            <Field label="Unit">{unitName(r.unit)}</Field>
            <Field label="Initial assessment">
              <Group gap={4}>
                {formatDateTime(r.assessmentDueAt)} <DueBadge due={r.assessmentDueAt} closed={closed || r.status !== 'new'} />
              </Group>
            </Field>
            <Field label="Risk rating">{r.riskRating ? RISK_RATING_LABELS[r.riskRating] : 'Not yet assessed'}</Field>
            <Field label="Reporter">{REPORTER_TYPE_LABELS[r.reporterType]}</Field>
            <Field label="Outcome">{r.outcome ? OUTCOME_LABELS[r.outcome] : '—'}</Field>
            <Field label="Routed">{r.routedBy ?? '—'}</Field>
            <Field label="Allocated to">{r.allocatedTo.length ? r.allocatedTo.map((a) => a.name).join(', ') : 'Nobody yet'}</Field>
            <Field label="Assessed">{r.assessedAt ? formatDateTime(r.assessedAt) : '—'}</Field>
            <Field label={closed ? 'Closed' : 'Next due'}>
              <Group gap={4}>
                {closed ? 'nothing more is due' : formatDateTime(r.nextDueAt)} <DueBadge due={r.nextDueAt} closed={closed} />
              </Group>
            </Field>
          </SimpleGrid>
        </Card>
      </Group>

      <CaseActions record={r} user={user} />

      {tab === 'created' && (
        <Alert color="teal" icon={<IconCheck size={18} />} title="Allegation saved" role="status">
          {r.reference} is with {unitName(r.unit)} ({r.routedBy}). Initial assessment is due {formatDateTime(r.assessmentDueAt)}.
          {r.timeCritical ? ' It is time-critical and is in the duty intelligence manager’s queue.' : ''}
        </Alert>
      )}

      {tc && <TimeCriticalBanner tc={tc} closed={closed} />}

      {tab === 'attachments' && place?.attachment && <AttachmentViewer key={place.attachment} attachmentId={place.attachment} page={place.page ?? 1} q={q ?? ''} record={r} />}

      <SourcePane key={`${r.id}:${r.hasSource}`} allegationId={r.id} reference={r.reference} />

      <LinkPanel key={`links:${r.id}`} allegationId={r.id} reference={r.reference} user={user} />

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <Section title="Account" icon={<IconFileText size={16} />}>
              <Text className="record-text" size="sm">
                {r.freeText ? <MarkedText text={r.freeText} multiline /> : 'No account recorded.'}
              </Text>
            </Section>
            <Section title="Subjects" count={r.subjects.length}>
              {r.subjects.length === 0 ? (
                <Empty>No subjects recorded.</Empty>
              ) : (
                <Table striped withRowBorders={false} fz="sm" aria-label="Subjects">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Name</Table.Th>
                      <Table.Th>Role</Table.Th>
                      <Table.Th>Date of birth</Table.Th>
                      <Table.Th>Gender</Table.Th>
                      <Table.Th>Nationality</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {r.subjects.map((s) => (
                      <Table.Tr key={s.id}>
                        <Table.Td>
                          <Text size="sm" fw={600}>
                            <EntityLink kind="person" value={[s.forename, s.surname].filter(Boolean).join(' ') || s.knownAs}>
                              <MarkedText text={fullName(s)} />
                            </EntityLink>
                          </Text>
                          {(s.knownAs || s.aliases.length > 0) && (
                            <Text size="xs" c="dimmed">
                              known as <MarkedText text={[s.knownAs, ...s.aliases].filter(Boolean).join(', ')} />
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>{s.role}</Table.Td>
                        <Table.Td>{s.dob ? `${formatDate(s.dob)} (${age(s.dob)})` : s.approxAge ? `about ${s.approxAge}` : 'not known'}</Table.Td>
                        <Table.Td>{GENDER_LABELS[s.gender]}</Table.Td>
                        <Table.Td>{s.nationality ? <MarkedText text={s.nationality} /> : '—'}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Section>
            <ActionsPanel key={`actions:${r.id}`} record={r} user={user} />
            <Section title="Notes" count={r.notes.length} icon={<IconNote size={16} />}>
              <Notes record={r} user={user} place={place} />
            </Section>
            <Section title="Timeline" icon={<IconTimeline size={16} />}>
              <AllegationTimeline allegationId={r.id} reference={r.reference} />
            </Section>
            <FormChanges allegationId={r.id} reference={r.reference} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <GradingPanel record={r} user={user} />
            <AssessmentPanel key={`assessment:${r.id}`} record={r} user={user} />
            <Section title="Addresses" count={r.addresses.length}>
              {r.addresses.length === 0 ? (
                <Empty>No addresses recorded.</Empty>
              ) : (
                <Stack gap={6}>
                  {r.addresses.map((a) => (
                    <div key={a.id}>
                      <Text size="sm">
                        <AddressLink a={a} />
                      </Text>
                      <Text size="xs" c="dimmed">
                        {a.type.replace('_', ' ')}
                        {a.postcodeNormalised ? (
                          <>
                            {' · '}
                            <EntityLink kind="postcode" value={a.postcodeNormalised} />
                          </>
                        ) : a.postcodeDistrict ? (
                          <>
                            {' · district '}
                            <EntityLink kind="postcode" value={a.postcodeDistrict} /> (partial postcode)
                          </>
                        ) : a.postcode ? (
                          ''
                        ) : (
                          ' · no postcode'
                        )}
                      </Text>
                      <ValueFlag problem={a.postcodeProblem} what="postcode" />
                    </div>
                  ))}
                </Stack>
              )}
            </Section>
            <Section title="Businesses" count={r.businesses.length}>
              {r.businesses.length === 0 ? (
                <Empty>No businesses recorded.</Empty>
              ) : (
                <Stack gap={6}>
                  {r.businesses.map((b) => (
                    <div key={b.id}>
                      <Text size="sm" fw={600}>
                        <EntityLink kind="business" value={b.name}>
                          <MarkedText text={b.name} />
                        </EntityLink>{' '}
                        <Text span size="xs" c="dimmed">
                          ({b.type ? <MarkedText text={b.type} /> : 'type not given'})
                        </Text>
                      </Text>
                      {b.address && (
                        <Text size="xs">
                          <AddressLink a={b.address} />
                        </Text>
                      )}
                      <ValueFlag problem={b.address?.postcodeProblem} what="postcode" />
                    </div>
                  ))}
                </Stack>
              )}
            </Section>
            <Section title="Identifiers" count={r.phones.length + r.emails.length + r.vehicles.length + r.travel.length}>
              <SimpleGrid cols={2} spacing="sm">
                <Field label="Phones">
                  {r.phones.length
                    ? r.phones.map((p) => (
                        <div key={p.id}>
                          <EntityLink kind="phone" value={p.national || p.number}>
                            <MarkedText text={p.number} />
                          </EntityLink>
                          {p.e164 && p.e164 !== p.number ? <Text span size="xs" c="dimmed"> ({p.e164})</Text> : null}
                          <ValueFlag problem={p.problem} what="number" />
                        </div>
                      ))
                    : '—'}
                </Field>
                <Field label="Emails">{r.emails.length ? r.emails.map((e) => <div key={e.id}><EntityLink kind="email" value={e.normalised || e.email}><MarkedText text={e.email} /></EntityLink></div>) : '—'}</Field>
                <Field label="Vehicles">{r.vehicles.length ? r.vehicles.map((v) => <div key={v.id} className="mono"><EntityLink kind="vehicle" value={v.normalised || v.vrm}><MarkedText text={v.normalised || v.vrm} /></EntityLink>{v.description ? <Text span size="xs" c="dimmed"> <MarkedText text={v.description} /></Text> : null}</div>) : '—'}</Field>
                <Field label="Flights / travel">{r.travel.length ? r.travel.map((t) => <div key={t.id} className="mono">{t.flightNumber || t.flight ? <EntityLink kind="flight" value={t.flightNumber ?? t.flight}><MarkedText text={t.flightNumber ?? t.flight} /></EntityLink> : [t.origin, t.destination].filter(Boolean).join(' → ')}{t.travelDate ? ` · ${formatDate(t.travelDate)}` : ''}</div>) : '—'}</Field>
              </SimpleGrid>
            </Section>
            <Section title="Attachments" count={r.attachments.length} icon={<IconPaperclip size={16} />}>
              <AttachmentsPanel record={r} />
            </Section>
            <HistorySection allegationId={r.id} />
            <Section title="Routing history" count={r.unitHistory.length}>
              <Stack gap={4}>
                {r.unitHistory.map((h, i) => (
                  <Text key={i} size="sm">
                    {formatDateTime(h.at)} — {h.fromUnit ? `${unitName(h.fromUnit)} → ` : ''}
                    {unitName(h.toUnit)} <Text span size="xs" c="dimmed">({h.reason}; {h.by})</Text>
                  </Text>
                ))}
              </Stack>
            </Section>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
