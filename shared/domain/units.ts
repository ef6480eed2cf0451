// The units that own allegations: 19 Regional Intelligence Units in four regions (000 §3.4 fn4), the London
// Area Central Allegations Team that assesses all London work first, the National Allegations Team that sifts
// post, fax and unlocatable reports, and the National Source Unit.

export const REGIONS = ['north', 'south', 'london', 'central'] as const;
export type Region = (typeof REGIONS)[number];
export const REGION_LABELS: Record<Region, string> = {
  north: 'North',
  south: 'South',
  london: 'London',
  central: 'Central (incl. Scotland and Northern Ireland)',
};

/** Which bank holidays apply to a unit's working-day clock. */
export type HolidayJurisdiction = 'england-wales' | 'scotland' | 'northern-ireland';

export type UnitKind = 'riu' | 'lacat' | 'nat' | 'nsu';
export interface Unit {
  code: string;
  name: string;
  kind: UnitKind;
  region: Region | null;
  holidays: HolidayJurisdiction;
}

export const UNITS: readonly Unit[] = [
  { code: 'NEAST', name: 'North East RIU', kind: 'riu', region: 'north', holidays: 'england-wales' },
  { code: 'NWEST', name: 'North West RIU', kind: 'riu', region: 'north', holidays: 'england-wales' },
  { code: 'MERCH', name: 'Merseyside and Cheshire RIU', kind: 'riu', region: 'north', holidays: 'england-wales' },
  { code: 'YORKS', name: 'Yorkshire and Humber RIU', kind: 'riu', region: 'north', holidays: 'england-wales' },
  { code: 'SCOT', name: 'Scotland RIU', kind: 'riu', region: 'central', holidays: 'scotland' },
  { code: 'NIRE', name: 'Northern Ireland RIU', kind: 'riu', region: 'central', holidays: 'northern-ireland' },
  { code: 'WMID', name: 'West Midlands RIU (Solihull)', kind: 'riu', region: 'central', holidays: 'england-wales' },
  { code: 'EMID', name: 'East Midlands RIU', kind: 'riu', region: 'central', holidays: 'england-wales' },
  { code: 'EAST', name: 'East of England RIU', kind: 'riu', region: 'central', holidays: 'england-wales' },
  { code: 'KSX', name: 'Kent and Sussex RIU', kind: 'riu', region: 'south', holidays: 'england-wales' },
  { code: 'TVAL', name: 'Thames Valley RIU', kind: 'riu', region: 'south', holidays: 'england-wales' },
  { code: 'HAMSUR', name: 'Hampshire and Surrey RIU', kind: 'riu', region: 'south', holidays: 'england-wales' },
  { code: 'SWEST', name: 'South West RIU', kind: 'riu', region: 'south', holidays: 'england-wales' },
  { code: 'WALES', name: 'Wales RIU', kind: 'riu', region: 'south', holidays: 'england-wales' },
  { code: 'LDN-N', name: 'North London Intelligence Unit', kind: 'riu', region: 'london', holidays: 'england-wales' },
  { code: 'LDN-E', name: 'East London Intelligence Unit', kind: 'riu', region: 'london', holidays: 'england-wales' },
  { code: 'LDN-S', name: 'South London Intelligence Unit', kind: 'riu', region: 'london', holidays: 'england-wales' },
  { code: 'LDN-W', name: 'West London Intelligence Unit', kind: 'riu', region: 'london', holidays: 'england-wales' },
  { code: 'LDN-C', name: 'Central London Intelligence Unit', kind: 'riu', region: 'london', holidays: 'england-wales' },
  { code: 'LACAT', name: 'London Area Central Allegations Team', kind: 'lacat', region: 'london', holidays: 'england-wales' },
  { code: 'NAT', name: 'National Allegations Team (Croydon)', kind: 'nat', region: null, holidays: 'england-wales' },
  { code: 'NSU', name: 'National Source Unit', kind: 'nsu', region: null, holidays: 'england-wales' },
];

export const UNIT_CODES = UNITS.map((u) => u.code);
const byCode = new Map(UNITS.map((u) => [u.code, u]));
export function unitByCode(code: string): Unit | undefined {
  return byCode.get(code);
}
export function unitName(code: string | null | undefined): string {
  if (!code) return 'Unrouted';
  return byCode.get(code)?.name ?? code;
}
