// Where a search hit opens: the allegation at the place it matched. The attachment viewer reads
// tab=attachments&attachment=ID&page=N; notes tab=notes&note=ID; the form tab=form&field=NAME.
import type { HitPlace } from '../api/search.ts';

export function placeLink(reference: string, place: HitPlace): string {
  const params: Array<[string, string]> = [];
  if (place.kind === 'form') params.push(['tab', 'form'], ['field', place.field]);
  else if (place.kind === 'note') params.push(['tab', 'notes'], ['note', place.noteId]);
  else {
    params.push(['tab', 'attachments'], ['attachment', place.attachmentId]);
    if (place.page !== null) params.push(['page', String(place.page)]);
  }
  return `#/allegation/${encodeURIComponent(reference)}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}
