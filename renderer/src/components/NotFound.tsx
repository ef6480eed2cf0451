import { Anchor, Stack, Text, Title } from '@mantine/core';
import { href } from '../router.ts';

export function NotFound() {
  return (
    <Stack gap="xs">
      <Title order={2}>Nothing here</Title>
      <Text>This address does not lead to a screen of IMS Desk.</Text>
      <Anchor href={href({ name: 'queue' })}>Go to your work queue</Anchor>
    </Stack>
  );
}
