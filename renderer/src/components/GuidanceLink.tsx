// "What do I do here?": every step's screen links to its guidance page, written for this product and dated.
import { Anchor, Group } from '@mantine/core';
import { IconHelpCircle } from '@tabler/icons-react';
import { href } from '../router.ts';
import { currentVersion, guidancePage, type GuidanceStep } from '../../../shared/guidance/pages.ts';

export function GuidanceLink({ step, label = 'What do I do here?' }: { step: GuidanceStep; label?: string }) {
  const page = guidancePage(step);
  return (
    <Anchor href={href({ name: 'guidance', step })} size="sm" className="no-print" title={page ? `Guidance: ${page.title} (operative ${currentVersion(page).operative})` : undefined}>
      <Group gap={4} wrap="nowrap" component="span">
        <IconHelpCircle size={16} aria-hidden />
        {label}
      </Group>
    </Anchor>
  );
}
