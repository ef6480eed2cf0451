// The link chart's toolbar: what can be done to the chosen node (expand, hide, pin) and to the whole chart
// (expand every allegation shown, show what was hidden, re-arrange, export as an image). Each node action has
// its key on the chart (E, H, P), shown on its button.
import { Button, Group, Kbd } from '@mantine/core';
import { IconArrowsMaximize, IconDownload, IconEye, IconEyeOff, IconLayoutGrid, IconPin, IconPinnedOff, IconPlus } from '@tabler/icons-react';
import type { ChartNode } from '../../../../shared/api/workbench.ts';
import { KIND_TEXT } from './chart-style.ts';

interface Props {
  chosen: ChartNode | undefined;
  chosenPinned: boolean;
  busy: boolean;
  unexpandedAllegations: number;
  hiddenCount: number;
  onExpand: () => void;
  onHide: () => void;
  onTogglePin: () => void;
  onExpandAll: () => void;
  onShowHidden: () => void;
  onRearrange: () => void;
  onExport: () => void;
}

export function ChartToolbar({ chosen, chosenPinned, busy, unexpandedAllegations, hiddenCount, onExpand, onHide, onTogglePin, onExpandAll, onShowHidden, onRearrange, onExport }: Props) {
  return (
    <Group gap="xs" mb={6} wrap="wrap" role="toolbar" aria-label="Link chart">
      <Button size="compact-xs" variant="light" leftSection={<IconPlus size={12} />} disabled={!chosen || busy} onClick={onExpand}>
        Expand{chosen ? ` ${KIND_TEXT[chosen.kind].toLowerCase()}` : ''} <Kbd size="xs" ml={4}>E</Kbd>
      </Button>
      <Button size="compact-xs" variant="light" leftSection={<IconEyeOff size={12} />} disabled={!chosen} onClick={onHide}>
        Hide <Kbd size="xs" ml={4}>H</Kbd>
      </Button>
      <Button size="compact-xs" variant="light" leftSection={chosen && chosenPinned ? <IconPinnedOff size={12} /> : <IconPin size={12} />} disabled={!chosen} onClick={onTogglePin}>
        {chosen && chosenPinned ? 'Unpin' : 'Pin'} <Kbd size="xs" ml={4}>P</Kbd>
      </Button>
      <Button size="compact-xs" variant="light" leftSection={<IconArrowsMaximize size={12} />} disabled={!unexpandedAllegations || busy} onClick={onExpandAll}>
        Expand every allegation shown ({unexpandedAllegations})
      </Button>
      <Button size="compact-xs" variant="default" leftSection={<IconEye size={12} />} disabled={!hiddenCount} onClick={onShowHidden}>
        Show hidden ({hiddenCount})
      </Button>
      <Button size="compact-xs" variant="default" leftSection={<IconLayoutGrid size={12} />} disabled={busy} onClick={onRearrange}>
        Re-arrange
      </Button>
      <Button size="compact-xs" variant="default" leftSection={<IconDownload size={12} />} onClick={onExport}>
        Export image
      </Button>
    </Group>
  );
}
