import { Alert, Anchor, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconPrinter } from '@tabler/icons-react';
import { useCall } from '../api/useCall.ts';
import { href } from '../router.ts';
import { Busy } from '../components/Busy.tsx';

/** The sanitised intelligence report, ready to print: the source is never named, only the reference. */
export function ReportScreen({ reference }: { reference: string }) {
  const record = useCall('allegations.get', { reference });
  const { data, error } = useCall('allegations.report', record.data ? { id: record.data.id } : null);
  if (record.error || error) return <Alert color="red">{(record.error ?? error)?.message}</Alert>;
  if (!data) return <Busy label="Loading the report" />;
  return (
    <Stack maw={900}>
      <Group justify="space-between" className="no-print">
        <Anchor href={href({ name: 'allegation', reference })} size="sm">
          <Group gap={4}>
            <IconArrowLeft size={14} /> Back to {reference}
          </Group>
        </Anchor>
        <Button leftSection={<IconPrinter size={16} />} onClick={() => window.print()}>
          Print
        </Button>
      </Group>
      <Card withBorder padding="xl" className="print-page">
        <Title order={2}>{data.title}</Title>
        <Text size="sm" fw={600} mb="md">
          {data.handling}
        </Text>
        {data.sections.map((s) => (
          <section key={s.heading} aria-labelledby={`report-${s.heading}`}>
            <Title order={3} size="h5" mt="md" id={`report-${s.heading}`}>
              {s.heading}
            </Title>
            {s.lines.map((l, i) => (
              <Text key={i} size="sm" className="record-text">
                {l}
              </Text>
            ))}
          </section>
        ))}
      </Card>
    </Stack>
  );
}
