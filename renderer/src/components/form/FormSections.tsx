// The sections of the electronic form. Repeating groups (subjects, addresses, businesses, phones, emails,
// vehicles, travel) share one component; every input shows its problem at the field.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ActionIcon, Button, Card, Checkbox, Group, NativeSelect, NumberInput, SimpleGrid, Stack, Text, TextInput, Textarea, Title, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconLock, IconPlus, IconTrash } from '@tabler/icons-react';
import type { AllegationForm } from '../../../../shared/schemas/form.ts';
import { ADDRESS_TYPES, CHANNELS, CHANNEL_LABELS, GENDERS, GENDER_LABELS, OFFENCE_TYPES, OFFENCE_TYPE_LABELS, PAPER_CHANNELS, REPORTER_TYPES, REPORTER_TYPE_LABELS, SUBJECT_ROLES } from '../../../../shared/domain/vocabularies.ts';
import { normaliseFlightNumber, normalisePhone, normaliseVrm, parseUkPostcode } from '../../../../shared/text/normalise.ts';
import type { Path } from './useFormState.ts';
import { UkDateInput } from './UkDateInput.tsx';

export interface FieldProps {
  form: AllegationForm;
  update: (path: Path, value: unknown) => void;
  touch: (path: Path) => void;
  errorAt: (path: Path) => string | undefined;
  /** A value the record already held that could not be read (kept as written): said at its field. */
  flagAt?: (path: Path) => string | undefined;
}

function Section({ title, id, children, description }: { title: string; id: string; description?: string; children: ReactNode }) {
  return (
    <Card withBorder padding="md" component="section" aria-labelledby={id}>
      <Title order={3} size="h5" id={id} mb={description ? 2 : 'sm'}>
        {title}
      </Title>
      {description && (
        <Text size="sm" c="dimmed" mb="sm">
          {description}
        </Text>
      )}
      {children}
    </Card>
  );
}

/** A text input bound to a path of the form. */
function Field({ p, path, label, description, ...rest }: { p: FieldProps; path: Path; label: string; description?: ReactNode; type?: string; placeholder?: string; autoComplete?: string; required?: boolean }) {
  const value = path.reduce<unknown>((o, k) => (o as Record<string | number, unknown> | undefined)?.[k], p.form);
  const flag = p.flagAt?.(path);
  return (
    <TextInput
      label={label}
      description={
        flag ? (
          <span className="value-flag">
            <IconAlertTriangle size={12} aria-hidden style={{ verticalAlign: -1, marginRight: 3 }} />
            {`This ${flag}.`}
          </span>
        ) : (
          description
        )
      }
      value={(value as string | undefined) ?? ''}
      onChange={(e) => p.update(path, e.currentTarget.value)}
      onBlur={() => p.touch(path)}
      error={p.errorAt(path)}
      {...rest}
    />
  );
}

function Choice<T extends string>({ p, path, label, options, labels, autoFocus }: { p: FieldProps; path: Path; label: string; options: readonly T[]; labels?: Record<T, string>; autoFocus?: boolean }) {
  const value = path.reduce<unknown>((o, k) => (o as Record<string | number, unknown> | undefined)?.[k], p.form) as T;
  return (
    <NativeSelect
      label={label}
      value={value}
      onChange={(e) => p.update(path, e.currentTarget.value)}
      data={options.map((o) => ({ value: o, label: labels?.[o] ?? o.replace(/_/g, ' ') }))}
      error={p.errorAt(path)}
      autoFocus={autoFocus}
    />
  );
}

function Repeating<K extends 'subjects' | 'addresses' | 'businesses' | 'phones' | 'emails' | 'vehicles' | 'travel'>({
  p,
  kind,
  noun,
  blank,
  children,
  columns = 1,
}: {
  p: FieldProps;
  kind: K;
  noun: string;
  blank: AllegationForm[K][number];
  columns?: number;
  children: (index: number) => ReactNode;
}) {
  const items = p.form[kind] as unknown[];
  const box = useRef<HTMLDivElement>(null);
  const [focusItem, setFocusItem] = useState<{ index: number } | null>(null);
  // A new item takes the focus at its first field, so the keyboard carries on where the typing does.
  useEffect(() => {
    if (focusItem === null) return;
    const group = box.current?.querySelector(`[aria-label="${noun} ${focusItem.index + 1}"]`);
    group?.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea')?.focus();
  }, [focusItem, noun]);
  return (
    <Stack gap="sm" ref={box}>
      {items.length === 0 && (
        <Text size="sm" c="dimmed">
          None yet.
        </Text>
      )}
      <SimpleGrid cols={columns} spacing="sm">
        {items.map((_, i) => (
          <Card key={i} withBorder padding="sm" bg="gray.0" role="group" aria-label={`${noun} ${i + 1}`}>
            <Group justify="space-between" mb={4}>
              <Text size="sm" fw={600}>
                {noun} {i + 1}
              </Text>
              <Tooltip label={`Remove ${noun.toLowerCase()} ${i + 1}`}>
                <ActionIcon variant="subtle" color="red" aria-label={`Remove ${noun.toLowerCase()} ${i + 1}`} onClick={() => p.update([kind], items.filter((__, j) => j !== i))}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            </Group>
            {children(i)}
          </Card>
        ))}
      </SimpleGrid>
      <div>
        <Button
          variant="light"
          size="xs"
          leftSection={<IconPlus size={14} />}
          onClick={() => {
            p.update([kind], [...items, blank]);
            setFocusItem({ index: items.length });
          }}
        >
          Add {noun.toLowerCase()}
        </Button>
      </div>
    </Stack>
  );
}

/** Local date-time for the input, from an ISO instant. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function ReceiptSection({ p, autoFocus }: { p: FieldProps; autoFocus?: boolean }) {
  const paper = PAPER_CHANNELS.includes(p.form.channel);
  return (
    <Section title="Receipt" id="form-receipt" description="How and when it arrived: recorded as it truly came in (online form, email, letter, fax…).">
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
        <Choice p={p} path={['channel']} label="Channel" options={CHANNELS} labels={CHANNEL_LABELS} autoFocus={autoFocus} />
        <Choice p={p} path={['reporterType']} label="Reported by" options={REPORTER_TYPES} labels={REPORTER_TYPE_LABELS} />
        <TextInput
          type="datetime-local"
          label="Received"
          value={toLocalInput(p.form.receivedAt)}
          onChange={(e) => {
            const d = new Date(e.currentTarget.value);
            if (!Number.isNaN(d.getTime())) p.update(['receivedAt'], d.toISOString());
          }}
          onBlur={() => p.touch(['receivedAt'])}
          error={p.errorAt(['receivedAt'])}
        />
      </SimpleGrid>
      {paper && (
        <Field
          p={p}
          path={['scanMissingReason']}
          label="Original scan"
          description="Letters and faxes carry their original scan. Attach it after saving, or say here why it cannot be attached."
          placeholder="e.g. original posted to the unit; scan to follow"
        />
      )}
    </Section>
  );
}

export function OffenceSection({ p }: { p: FieldProps }) {
  return (
    <Section title="Offence" id="form-offence">
      <Checkbox.Group label="Offence types" value={[...p.form.offenceTypes]} onChange={(v) => p.update(['offenceTypes'], v)} error={p.errorAt(['offenceTypes'])}>
        <SimpleGrid cols={{ base: 2, md: 3 }} spacing={6} mt={6}>
          {OFFENCE_TYPES.map((o) => (
            <Checkbox key={o} value={o} label={OFFENCE_TYPE_LABELS[o]} size="sm" onBlur={() => p.touch(['offenceTypes'])} />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
    </Section>
  );
}

export function AccountSection({ p }: { p: FieldProps }) {
  return (
    <Section title="Account" id="form-account" description="What is alleged, in the reporter's words or a faithful summary. Dates and deadlines are read from it for time-critical triage.">
      <Textarea
        label="Free-text account"
        autosize
        minRows={5}
        maxRows={20}
        value={p.form.freeText}
        onChange={(e) => p.update(['freeText'], e.currentTarget.value)}
        onBlur={() => p.touch(['freeText'])}
        error={p.errorAt(['freeText'])}
      />
    </Section>
  );
}

export function SubjectsSection({ p }: { p: FieldProps }) {
  return (
    <Section title="Subjects" id="form-subjects" description="Who the allegation is about. Give a date of birth if known, or an approximate age.">
      <Repeating p={p} kind="subjects" noun="Subject" blank={{ role: p.form.subjects.length ? 'associate' : 'main', forename: '', middleNames: '', surname: '', knownAs: '', aliases: [], dob: '', approxAge: null, gender: 'U', nationality: '' }}>
        {(i) => (
          <SimpleGrid cols={{ base: 1, md: 4 }} spacing="sm">
            <Field p={p} path={['subjects', i, 'forename']} label="Forename" />
            <Field p={p} path={['subjects', i, 'middleNames']} label="Middle names" />
            <Field p={p} path={['subjects', i, 'surname']} label="Surname" />
            <Field p={p} path={['subjects', i, 'knownAs']} label="Known as" />
            <UkDateInput label="Date of birth" value={p.form.subjects[i]?.dob ?? ''} onChange={(v) => p.update(['subjects', i, 'dob'], v)} onBlur={() => p.touch(['subjects', i, 'dob'])} error={p.errorAt(['subjects', i, 'dob'])} />
            <NumberInput
              label="Approximate age"
              description={p.form.subjects[i]?.dob ? 'Not needed with a date of birth' : undefined}
              min={0}
              max={120}
              value={p.form.subjects[i]?.approxAge ?? ''}
              onChange={(v) => p.update(['subjects', i, 'approxAge'], typeof v === 'number' ? v : null)}
              error={p.errorAt(['subjects', i, 'approxAge'])}
            />
            <Choice p={p} path={['subjects', i, 'gender']} label="Gender" options={GENDERS} labels={GENDER_LABELS} />
            <Field p={p} path={['subjects', i, 'nationality']} label="Nationality" />
            <Choice p={p} path={['subjects', i, 'role']} label="Role" options={SUBJECT_ROLES} />
          </SimpleGrid>
        )}
      </Repeating>
    </Section>
  );
}

function postcodeHint(raw: string): string | undefined {
  if (!raw.trim()) return undefined;
  const pc = parseUkPostcode(raw);
  if (pc.postcode) return pc.postcode === raw.trim() ? undefined : `Reads as ${pc.postcode}`;
  if (pc.outward) return `Partial postcode: district ${pc.district}`;
  return undefined;
}

function AddressFields({ p, base }: { p: FieldProps; base: Path }) {
  const postcode = (base.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)?.[k], p.form) as { postcode?: string } | null)?.postcode ?? '';
  return (
    <>
      <Field p={p} path={[...base, 'line1']} label="Address line 1" />
      <Field p={p} path={[...base, 'line2']} label="Address line 2" />
      <Field p={p} path={[...base, 'town']} label="Town" />
      <Field p={p} path={[...base, 'postcode']} label="Postcode" description={postcodeHint(postcode)} />
    </>
  );
}

export function AddressesSection({ p }: { p: FieldProps }) {
  return (
    <Section title="Addresses" id="form-addresses" description="The postcode of the alleged offence decides the unit: an offence location first, else the workplace for illegal working, else home.">
      <Repeating p={p} kind="addresses" noun="Address" blank={{ type: 'home', line1: '', line2: '', town: '', postcode: '' }}>
        {(i) => (
          <SimpleGrid cols={{ base: 1, md: 5 }} spacing="sm">
            <Choice p={p} path={['addresses', i, 'type']} label="Type" options={ADDRESS_TYPES} />
            <AddressFields p={p} base={['addresses', i]} />
          </SimpleGrid>
        )}
      </Repeating>
    </Section>
  );
}

export function BusinessesSection({ p }: { p: FieldProps }) {
  return (
    <Section title="Businesses and employers" id="form-businesses">
      <Repeating p={p} kind="businesses" noun="Business" blank={{ name: '', type: '', address: { line1: '', line2: '', town: '', postcode: '' } }}>
        {(i) => (
          <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
            <Field p={p} path={['businesses', i, 'name']} label="Business name" />
            <Field p={p} path={['businesses', i, 'type']} label="Type of business" placeholder="car wash, takeaway…" />
            <div />
            <AddressFields p={p} base={['businesses', i, 'address']} />
          </SimpleGrid>
        )}
      </Repeating>
    </Section>
  );
}

export function IdentifiersSection({ p }: { p: FieldProps }) {
  const hint = (ok: boolean, text: string) => (ok ? text : undefined);
  return (
    <Section title="Phones, emails, vehicles and travel" id="form-identifiers">
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <div>
          <Text size="sm" fw={600} mb={4}>
            Phone numbers
          </Text>
          <Repeating p={p} kind="phones" noun="Phone" blank={{ number: '' }}>
            {(i) => {
              const n = normalisePhone(p.form.phones[i]?.number);
              return <Field p={p} path={['phones', i, 'number']} label="Number" type="tel" description={hint(Boolean(n.e164), `Reads as ${n.e164}${n.valid ? '' : ' (not an allocated range)'}`)} />;
            }}
          </Repeating>
        </div>
        <div>
          <Text size="sm" fw={600} mb={4}>
            Email addresses
          </Text>
          <Repeating p={p} kind="emails" noun="Email" blank={{ email: '' }}>
            {(i) => <Field p={p} path={['emails', i, 'email']} label="Email" type="email" />}
          </Repeating>
        </div>
        <div>
          <Text size="sm" fw={600} mb={4}>
            Vehicles
          </Text>
          <Repeating p={p} kind="vehicles" noun="Vehicle" blank={{ vrm: '', description: '' }}>
            {(i) => (
              <SimpleGrid cols={2} spacing="sm">
                <Field p={p} path={['vehicles', i, 'vrm']} label="Registration" description={hint(normaliseVrm(p.form.vehicles[i]?.vrm).length >= 2, normaliseVrm(p.form.vehicles[i]?.vrm))} />
                <Field p={p} path={['vehicles', i, 'description']} label="Make, model, colour" />
              </SimpleGrid>
            )}
          </Repeating>
        </div>
        <div>
          <Text size="sm" fw={600} mb={4}>
            Flights and travel
          </Text>
          <Repeating p={p} kind="travel" noun="Journey" blank={{ flight: '', travelDate: '', origin: '', destination: '' }}>
            {(i) => {
              const f = normaliseFlightNumber(p.form.travel[i]?.flight);
              return (
                <SimpleGrid cols={2} spacing="sm">
                  <Field p={p} path={['travel', i, 'flight']} label="Flight number" description={hint(Boolean(f), `Reads as ${f}`)} />
                  <UkDateInput label="Date" value={p.form.travel[i]?.travelDate ?? ''} onChange={(v) => p.update(['travel', i, 'travelDate'], v)} onBlur={() => p.touch(['travel', i, 'travelDate'])} error={p.errorAt(['travel', i, 'travelDate'])} />
                  <Field p={p} path={['travel', i, 'origin']} label="From" />
                  <Field p={p} path={['travel', i, 'destination']} label="To" />
                </SimpleGrid>
              );
            }}
          </Repeating>
        </div>
      </SimpleGrid>
    </Section>
  );
}

export function SourceSection({ p }: { p: FieldProps }) {
  const source = p.form.source;
  const blank = { name: '', phone: '', email: '', address: '', relationship: '', organisation: '' };
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="form-source" style={{ borderColor: 'var(--mantine-color-indigo-4)', background: 'var(--mantine-color-indigo-0)' }}>
      <Group gap={6} mb={2}>
        <IconLock size={16} aria-hidden />
        <Title order={3} size="h5" id="form-source">
          Reporter (restricted source details)
        </Title>
      </Group>
      <Text size="sm" mb="sm">
        Stored only in the restricted source pane, never in the open record, search or exports. Where the account or a letter repeats these details they are withheld from the open record.
      </Text>
      {source ? (
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
          <Field p={p} path={['source', 'name']} label="Reporter's name" autoComplete="off" />
          <Field p={p} path={['source', 'phone']} label="Reporter's phone" type="tel" autoComplete="off" />
          <Field p={p} path={['source', 'email']} label="Reporter's email" autoComplete="off" />
          <Field p={p} path={['source', 'address']} label="Reporter's address" autoComplete="off" />
          <Field p={p} path={['source', 'relationship']} label="Relationship to subject" />
          <Field p={p} path={['source', 'organisation']} label="Organisation" />
        </SimpleGrid>
      ) : (
        <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={() => p.update(['source'], blank)}>
          Add reporter details
        </Button>
      )}
    </Card>
  );
}
