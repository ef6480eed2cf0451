import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING, routePostcode, routeRecord, validateRoutingTable, LACAT_UNIT, NAT_UNIT, routingTable } from '../../shared/domain/routing.ts';
import { parseUkPostcode } from '../../shared/text/normalise.ts';
import { UNITS, UNIT_CODES } from '../../shared/domain/units.ts';

// Every geographic UK postcode area (Royal Mail), plus the Crown dependencies and non-geographic areas.
const UK_AREAS = 'AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN EX FK FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE'.split(' ');
const LONDON_AREAS = ['E', 'EC', 'N', 'NW', 'SE', 'SW', 'W', 'WC'];

describe('routing by the postcode of the alleged offence', () => {
  it('has 19 Regional Intelligence Units in four regions', () => {
    const rius = UNITS.filter((u) => u.kind === 'riu');
    expect(rius).toHaveLength(19);
    expect(new Set(rius.map((u) => u.region))).toEqual(new Set(['north', 'south', 'london', 'central']));
  });

  it('sends every UK postcode area to a unit that exists', () => {
    expect(UK_AREAS).toHaveLength(121);
    for (const area of UK_AREAS) {
      const unit = DEFAULT_ROUTING.areas[area];
      expect(unit, area).toBeDefined();
      expect(UNIT_CODES, area).toContain(unit);
      expect(unit, `${area} is a UK area and must not fall to NAT`).not.toBe(NAT_UNIT);
    }
    expect(validateRoutingTable(DEFAULT_ROUTING, UNIT_CODES)).toEqual([]);
  });

  it('sends London to LACAT', () => {
    for (const area of LONDON_AREAS) expect(routePostcode(DEFAULT_ROUTING, parseUkPostcode(`${area}1 1AA`)).unit).toBe(LACAT_UNIT);
    expect(routePostcode(DEFAULT_ROUTING, parseUkPostcode('SW1A 2AA')).unit).toBe(LACAT_UNIT);
    expect(routePostcode(DEFAULT_ROUTING, parseUkPostcode('CR0 2EU')).unit).toBe(LACAT_UNIT); // Croydon
  });

  it('splits mixed areas by district: Bexley is London, Dartford is Kent', () => {
    expect(routePostcode(DEFAULT_ROUTING, parseUkPostcode('DA7 4AA'))).toMatchObject({ unit: LACAT_UNIT, reason: 'postcode district DA7' });
    expect(routePostcode(DEFAULT_ROUTING, parseUkPostcode('DA1 1AA'))).toMatchObject({ unit: 'KSX', reason: 'postcode area DA' });
    expect(routePostcode(DEFAULT_ROUTING, parseUkPostcode('TW18 1AA')).unit).toBe('HAMSUR'); // Staines, Surrey
    expect(routePostcode(DEFAULT_ROUTING, parseUkPostcode('TW3 1AA')).unit).toBe(LACAT_UNIT); // Hounslow
  });

  it('routes on a partial postcode', () => {
    expect(routePostcode(DEFAULT_ROUTING, parseUkPostcode('B71')).unit).toBe('WMID');
    expect(routePostcode(DEFAULT_ROUTING, parseUkPostcode('eh16')).unit).toBe('SCOT');
    expect(routePostcode(DEFAULT_ROUTING, parseUkPostcode('BT13 4NZ')).unit).toBe('NIRE');
  });

  it('sends no usable location to the NAT sift', () => {
    expect(routePostcode(DEFAULT_ROUTING, null)).toMatchObject({ unit: NAT_UNIT, reason: 'no usable location' });
    expect(routeRecord(DEFAULT_ROUTING, { offenceTypes: ['overstayer'], addresses: [{ type: 'home', postcode: 'not known' }], businesses: [] }).unit).toBe(NAT_UNIT);
    expect(routePostcode(DEFAULT_ROUTING, parseUkPostcode('GY1 1AA')).unit).toBe(NAT_UNIT); // Guernsey
  });

  it('prefers the offence location, then the workplace for workplace offences, then home', () => {
    expect(routeRecord(DEFAULT_ROUTING, { offenceTypes: ['overstayer'], addresses: [{ type: 'home', postcode: 'M1 1AA' }, { type: 'offence_location', postcode: 'LS1 1AA' }], businesses: [] }).unit).toBe('YORKS');
    expect(routeRecord(DEFAULT_ROUTING, { offenceTypes: ['illegal_working'], addresses: [{ type: 'home', postcode: 'M1 1AA' }], businesses: [{ address: { postcode: 'CF10 1AA' } }] }).unit).toBe('WALES');
    expect(routeRecord(DEFAULT_ROUTING, { offenceTypes: ['sham_marriage'], addresses: [{ type: 'home', postcode: 'M1 1AA' }], businesses: [{ address: { postcode: 'CF10 1AA' } }] }).unit).toBe('NWEST');
  });

  it('rejects an edited table that names a unit that does not exist', () => {
    const edited = routingTable.parse({ ...DEFAULT_ROUTING, areas: { ...DEFAULT_ROUTING.areas, B: 'ATLANTIS' } });
    expect(validateRoutingTable(edited, UNIT_CODES)).toEqual(['area B: unknown unit ATLANTIS']);
    expect(routingTable.safeParse({ ...DEFAULT_ROUTING, areas: { 'B1 1AA': 'WMID' } }).success).toBe(false);
  });
});
