// Text from users, shown as written but never disguised: a control character or a bidirectional override
// (U+202E can make "Ali<RLO>cod.exe" read as "Aliexe.doc", or reverse part of a name or reference) is taken
// out of the flow and drawn as a marked badge naming it, so it has no effect and cannot pass unseen. The same
// shared function (hiddenParts) names these characters for the terminal (ims show).
import { Fragment } from 'react';
import { VisuallyHidden } from '@mantine/core';
import { hiddenParts } from '../../../shared/text/hidden-chars.ts';

export function MarkedText({ text, multiline = false }: { text: string; multiline?: boolean }) {
  const parts = hiddenParts(text, multiline);
  if (parts.length === 1 && parts[0]?.kind === 'text') return <>{text}</>;
  return (
    // Isolated, so that nothing inside can reorder the text around it.
    <span className="has-hidden-chars" dir="auto" title="This text holds hidden characters that would change how it reads; each is shown as a marked badge">
      {parts.map((p, i) =>
        p.kind === 'text' ? (
          <Fragment key={i}>{p.text}</Fragment>
        ) : (
          <span key={i} className="hidden-char">
            <span aria-hidden="true">{p.abbr}</span>
            <VisuallyHidden>{` [hidden character: ${p.name}] `}</VisuallyHidden>
          </span>
        ),
      )}
    </span>
  );
}
