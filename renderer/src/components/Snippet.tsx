import { Fragment } from 'react';
import { MarkedText } from './MarkedText.tsx';

/**
 * Renders a search snippet whose hits are delimited by \u0002 ... \u0003, without ever parsing HTML; hidden
 * characters in the text are marked (MarkedText).
 */
export function Snippet({ text }: { text: string }) {
  const parts = text.split(/(\u0002[^\u0003]*\u0003)/);
  return (
    <>
      {parts.map((p, i) =>
        p.startsWith('\u0002') ? (
          <mark className="hit" key={i}>
            <MarkedText text={p.slice(1, -1)} />
          </mark>
        ) : (
          <Fragment key={i}>
            <MarkedText text={p} />
          </Fragment>
        ),
      )}
    </>
  );
}
