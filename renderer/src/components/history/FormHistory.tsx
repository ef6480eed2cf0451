// The history of an allegation's form, field by field: each amendment with who and when, and for every field it
// changed what the field held before and after. Nothing an amendment replaced is lost (CPIA); this is where an
// analyst, a reviewer or a disclosure officer reads it. Newest first; the first value of a field is its original.
import { Badge, Group, Spoiler, Stack, Table, Text } from '@mantine/core';
import type { FormHistoryView, HistoryItemView } from '../../../../shared/api/workbench.ts';
import { formatDate, formatDateTime } from '../../format.ts';

function Value({ value, format }: { value: string | null; format: HistoryItemView['format'] }) {
  if (value === null) {
    return (
      <Text size="sm" c="dimmed" component="span">
        (empty)
      </Text>
    );
  }
  const shown = format === 'date' ? formatDate(value) : format === 'datetime' ? formatDateTime(value) : value;
  if (shown.length <= 160) return <span className="record-text">{shown}</span>;
  return (
    <Spoiler maxHeight={66} showLabel="Show all" hideLabel="Show less">
      <span className="record-text">{shown}</span>
    </Spoiler>
  );
}

const KIND_LABELS: Record<HistoryItemView['kind'], string> = { changed: 'changed', added: 'added', removed: 'removed', restored: 'restored' };
const KIND_COLOURS: Record<HistoryItemView['kind'], string> = { changed: 'blue', added: 'teal', removed: 'red', restored: 'grape' };

export function FormHistory({ history, reference }: { history: FormHistoryView; reference: string }) {
  const entries = [...history.entries].reverse();
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {history.created ? `Entered ${formatDateTime(history.created.at)}${history.created.by ? ` by ${history.created.by}` : ''}. ` : ''}
        {entries.length === 0
          ? 'Not amended since: the form shows what was first recorded.'
          : `${entries.length} amendment${entries.length === 1 ? '' : 's'}, newest first; what each replaced is kept.`}
      </Text>
      {entries.map((e, i) => (
        <Stack key={`${e.at}:${i}`} gap={4} component="article" aria-label={`Amendment of ${formatDateTime(e.at)}${e.by ? ` by ${e.by}` : ''}`}>
          <Group gap={6}>
            <Text size="sm" fw={600}>
              {formatDateTime(e.at)}
            </Text>
            <Text size="sm" c="dimmed">
              {e.by ?? 'on another desk'}
            </Text>
          </Group>
          <Table withRowBorders fz="sm" layout="fixed" aria-label={`What the amendment of ${formatDateTime(e.at)} changed on ${reference}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w="28%">Where</Table.Th>
                <Table.Th w="36%">Was</Table.Th>
                <Table.Th w="36%">Became</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {e.items.map((item, j) => (
                <Table.Tr key={j}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {item.part}
                    </Text>
                    {item.field ? (
                      <Text size="xs" c="dimmed">
                        {item.field}
                      </Text>
                    ) : (
                      <Badge size="xs" variant="light" color={KIND_COLOURS[item.kind]}>
                        {KIND_LABELS[item.kind]}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{item.kind === 'added' || item.kind === 'restored' ? <Text size="sm" c="dimmed" component="span">(not on the form)</Text> : <Value value={item.was} format={item.format} />}</Table.Td>
                  <Table.Td>{item.kind === 'removed' ? <Text size="sm" c="dimmed" component="span">(removed; kept in the record’s history)</Text> : <Value value={item.now} format={item.format} />}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      ))}
    </Stack>
  );
}
