// A value kept exactly as written that could not be read (a postcode of no UK area, a phone number with
// letters in it): the record shows it as it came, and says beside it what could not be read, for a person to
// check. It is never silently rewritten into something else.
import { Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';

export function ValueFlag({ problem, what }: { problem: string | null | undefined; what: string }) {
  if (!problem) return null;
  return (
    <Text span size="xs" className="value-flag" display="block">
      <IconAlertTriangle size={12} aria-hidden style={{ verticalAlign: -1, marginRight: 3 }} />
      {`Check this ${what}: it ${problem}. Kept as written.`}
    </Text>
  );
}
