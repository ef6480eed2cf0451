// A value on an allegation (a name, a phone, a postcode…) as a link to its entity's page: every allegation,
// note and attachment page naming it.
import type { ReactNode } from 'react';
import { Anchor } from '@mantine/core';
import { entityHref, ENTITY_KIND_LABELS, type EntityKind } from '../../../../shared/entities/entity.ts';

export function EntityLink({ kind, value, children, className }: { kind: EntityKind; value: string; children?: ReactNode; className?: string }) {
  const href = entityHref(kind, value);
  const text = children ?? value;
  if (!href) return <>{text}</>;
  return (
    <Anchor href={href} inherit underline="always" className={className} title={`${ENTITY_KIND_LABELS[kind]}: every allegation, note and page naming it`}>
      {text}
    </Anchor>
  );
}
