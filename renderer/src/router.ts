// Hash routes ("#/queue", "#/allegation/IMS-2026-000123"): the same build works under app:// in Electron and
// http:// in the browser host, and the back button works in both.
import { useEffect, useState } from 'react';
import { ENTITY_KINDS, type EntityKind } from '../../shared/entities/entity.ts';

export type Route =
  | { name: 'queue'; bucket?: string | undefined; unit?: string | undefined; view?: string | undefined }
  | { name: 'allegation'; reference: string; tab?: string | undefined; place?: AllegationPlace | undefined; q?: string | undefined }
  | { name: 'new'; draft?: string | undefined; scan?: string | undefined }
  | { name: 'edit'; reference: string; draft?: string | undefined; added?: string | undefined }
  | { name: 'scans' }
  | { name: 'report'; reference: string }
  | { name: 'import' }
  | { name: 'routing' }
  | { name: 'nsu' }
  | { name: 'audit' }
  | { name: 'search'; q?: string | undefined; filters?: Record<string, string> | undefined; saved?: string | undefined }
  | { name: 'users' }
  | { name: 'entity'; kind: EntityKind; value: string; tab?: string | undefined }
  | { name: 'watch' }
  | { name: 'mi'; scope: MiParams }
  | { name: 'mi-records'; scope: MiParams; group: string; key: string; rowBy?: string | undefined; rowKey?: string | undefined }
  | { name: 'followups'; unit?: string | undefined; view?: string | undefined }
  | { name: 'qa'; unit?: string | undefined; month?: string | undefined }
  | { name: 'guidance'; step?: string | undefined; q?: string | undefined }
  | { name: 'sync' }
  | { name: 'not-found'; path: string };

/** The scope and period of management information as the address carries it. */
export interface MiParams {
  level?: string | undefined;
  region?: string | undefined;
  unit?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  by?: string | undefined;
  /** 'server': the national record's figures, from the central server; otherwise this desk's own. */
  source?: string | undefined;
}
const MI_PARAMS = ['level', 'region', 'unit', 'from', 'to', 'by', 'source'] as const;
function miParams(params: URLSearchParams): MiParams {
  return Object.fromEntries(MI_PARAMS.map((k) => [k, params.get(k) ?? undefined]).filter((e) => e[1] !== undefined));
}

/** Where in an allegation a link points (a search hit): a form field, a note, or an attachment's page. */
export interface AllegationPlace {
  field?: string | undefined;
  note?: string | undefined;
  attachment?: string | undefined;
  page?: number | undefined;
}

/** Search filter parameters carried in the search screen's address (see shared/search/filters.ts). */
const SEARCH_FILTER_PARAMS = ['name', 'dob', 'postcode', 'phone', 'email', 'vehicle', 'flight', 'business', 'offence', 'channel', 'unit', 'outcome', 'status', 'from', 'to'];

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case undefined:
    case 'queue':
      return { name: 'queue', bucket: params.get('bucket') ?? undefined, unit: params.get('unit') ?? undefined, view: params.get('view') ?? undefined };
    case 'allegation': {
      if (parts[1] && parts[2] === 'edit') return { name: 'edit', reference: parts[1], draft: params.get('draft') ?? undefined, added: params.get('added') ?? undefined };
      if (!parts[1]) return { name: 'not-found', path };
      if (parts[2] === 'report') return { name: 'report', reference: parts[1] };
      const page = Number(params.get('page'));
      const place: AllegationPlace = {
        field: params.get('field') ?? undefined,
        note: params.get('note') ?? undefined,
        attachment: params.get('attachment') ?? undefined,
        page: Number.isInteger(page) && page > 0 ? page : undefined,
      };
      const hasPlace = Object.values(place).some((v) => v !== undefined);
      return { name: 'allegation', reference: parts[1], tab: params.get('tab') ?? undefined, ...(hasPlace ? { place } : {}), q: params.get('q') ?? undefined };
    }
    case 'new':
      return { name: 'new', draft: params.get('draft') ?? undefined, scan: params.get('scan') ?? undefined };
    case 'scans':
      return { name: 'scans' };
    case 'import':
      return { name: 'import' };
    case 'nsu':
      return { name: 'nsu' };
    case 'audit':
      return { name: 'audit' };
    case 'sync':
      return { name: 'sync' };
    case 'search': {
      const filters: Record<string, string> = {};
      for (const key of SEARCH_FILTER_PARAMS) {
        const v = params.get(key);
        if (v) filters[key] = v;
      }
      return { name: 'search', q: params.get('q') ?? undefined, filters: Object.keys(filters).length ? filters : undefined, saved: params.get('saved') ?? undefined };
    }
    case 'entity': {
      const kind = ENTITY_KINDS.find((k) => k === parts[1]);
      if (!kind || !parts[2]) return { name: 'not-found', path };
      return { name: 'entity', kind, value: parts[2], tab: params.get('tab') ?? undefined };
    }
    case 'watch':
      return { name: 'watch' };
    case 'mi':
      if (parts[1] === 'records') return { name: 'mi-records', scope: miParams(params), group: params.get('group') ?? '', key: params.get('key') ?? '', rowBy: params.get('rowBy') ?? undefined, rowKey: params.get('rowKey') ?? undefined };
      return parts[1] ? { name: 'not-found', path } : { name: 'mi', scope: miParams(params) };
    case 'followups':
      return { name: 'followups', unit: params.get('unit') ?? undefined, view: params.get('view') ?? undefined };
    case 'qa':
      return { name: 'qa', unit: params.get('unit') ?? undefined, month: params.get('month') ?? undefined };
    case 'guidance':
      return { name: 'guidance', step: parts[1], q: params.get('q') ?? undefined };
    case 'admin':
      return parts[1] === 'users' ? { name: 'users' } : parts[1] === 'routing' ? { name: 'routing' } : { name: 'not-found', path };
    default:
      return { name: 'not-found', path };
  }
}

export function href(route: Route): string {
  const q = (params: Record<string, string | undefined>) => {
    const s = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
    return s ? `?${s}` : '';
  };
  switch (route.name) {
    case 'queue':
      return `#/queue${q({ view: route.view, bucket: route.bucket, unit: route.unit })}`;
    case 'allegation':
      return `#/allegation/${encodeURIComponent(route.reference)}${q({
        tab: route.tab,
        field: route.place?.field,
        note: route.place?.note,
        attachment: route.place?.attachment,
        page: route.place?.page !== undefined ? String(route.place.page) : undefined,
        q: route.q,
      })}`;
    case 'new':
      return `#/new${q({ draft: route.draft, scan: route.scan })}`;
    case 'edit':
      return `#/allegation/${encodeURIComponent(route.reference)}/edit${q({ draft: route.draft, added: route.added })}`;
    case 'scans':
      return '#/scans';
    case 'report':
      return `#/allegation/${encodeURIComponent(route.reference)}/report`;
    case 'import':
      return '#/import';
    case 'routing':
      return '#/admin/routing';
    case 'nsu':
      return '#/nsu';
    case 'audit':
      return '#/audit';
    case 'search':
      return `#/search${q({ q: route.q, ...route.filters, saved: route.saved })}`;
    case 'users':
      return '#/admin/users';
    case 'entity':
      return `#/entity/${route.kind}/${encodeURIComponent(route.value)}${q({ tab: route.tab })}`;
    case 'watch':
      return '#/watch';
    case 'mi':
      return `#/mi${q({ ...route.scope })}`;
    case 'mi-records':
      return `#/mi/records${q({ ...route.scope, group: route.group, key: route.key, rowBy: route.rowBy, rowKey: route.rowKey })}`;
    case 'followups':
      return `#/followups${q({ unit: route.unit, view: route.view })}`;
    case 'qa':
      return `#/qa${q({ unit: route.unit, month: route.month })}`;
    case 'guidance':
      return `#/guidance${route.step ? `/${encodeURIComponent(route.step)}` : ''}${q({ q: route.q })}`;
    case 'sync':
      return '#/sync';
    case 'not-found':
      return `#/${route.path}`;
  }
}

export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const target = href(route);
  if (options.replace) window.history.replaceState(null, '', target);
  else window.location.hash = target;
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
