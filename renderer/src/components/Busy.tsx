import { Group, Loader, Text, type MantineSize } from '@mantine/core';

/**
 * A spinner that assistive technology can name. Mantine's Loader renders a bare span, on which an aria-label is not
 * permitted (axe: aria-prohibited-attr), so it is given the indeterminate progressbar role that the label can name.
 * With `shown`, the label is also written beside the spinner (hidden from the accessibility tree, which has it once).
 */
export function Busy({ label, size = 'sm', shown = false }: { label: string; size?: MantineSize; shown?: boolean }) {
  const spinner = <Loader size={size} role="progressbar" aria-label={label} />;
  if (!shown) return spinner;
  return (
    <Group gap="xs" wrap="nowrap">
      {spinner}
      <Text size="sm" aria-hidden>
        {label}
      </Text>
    </Group>
  );
}
