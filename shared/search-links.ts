// Where a search hit opens: the allegation at the place it matched. The attachment viewer reads
// tab=attachments&attachment=ID&page=N; notes tab=notes&note=ID; the form tab=form&field=NAME.
import type { HitPlace } from './api/search.ts';

export function placeLink(reference: string, place: HitPlace): string {
  const params = new URLSearchParams();
  if (place.kind === 'form') {
    params.set('tab', 'form');
    params.set('field', place.field);
  } else if (place.kind === 'note') {
    params.set('tab', 'notes');
    params.set('note', place.noteId);
  } else {
    params.set('tab', 'attachments');
    params.set('attachment', place.attachmentId);
    if (place.page !== null) params.set('page', String(place.page));
  }
  return `#/allegation/${encodeURIComponent(reference)}?${params.toString()}`;
}
