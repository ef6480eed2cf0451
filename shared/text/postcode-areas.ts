// The UK's postcode areas (Royal Mail): the 121 of Great Britain and Northern Ireland, the Crown Dependencies
// (GY Guernsey, JE Jersey, IM Isle of Man) and the two non-geographic areas in use (BF British Forces, BX
// bulk mail). The `postcode` package checks a postcode's shape only: "ZZ99 9ZZ" (the NHS pseudo-postcode for
// "no fixed abode") or "QQ1 1AA" are shaped like postcodes and name no place. This list is data that changes
// about once a decade; the routing table (default-routing.json) names a unit for each of these areas.
export const UK_POSTCODE_AREAS: ReadonlySet<string> = new Set(
  (
    'AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN EX ' +
    'FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN ' +
    'NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB ' +
    'W WA WC WD WF WN WR WS WV YO ZE'
  ).split(' '),
);
