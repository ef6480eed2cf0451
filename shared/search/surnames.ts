// Family names written differently across romanisation systems and communities — the variation a spelling
// distance cannot see (Zhang and Cheung share no letters that matter). Each line is one group; written for
// this product from common usage. Gendered endings (Atanasova/Atanasov, Kowalska/Kowalski) are handled by rule
// (surnameBase), diacritics by folding, and most spellings (Hussain/Hussein) by the skeleton and edit distance.
import { indexNameGroups } from '../text/name-groups.ts';
const GROUPS = `
zhang chang cheung cheong chong
chen chan chin tan chun
wang wong ong
huang wong hwang vong hoang
wu ng woo ho
li lee lei lai lie ly
liu lau lew lao low
zhou chow chau chou jhou
xu hui tsui hsu chui
guo kwok kuo kok
he ho hoh
lin lam lim ling
ye yip yeh ip
lu lo loh lui
zheng cheng tay teh
xie tse hsieh che
yang yeung young yong
zhao chiu chao
liang leung leong
sun suen soon
ma mah mak
zhu chu choo
hu wu fu
luo law lo
nguyen nguyn ngyuen nguen win
tran chan
pham fam
le lee
vo vu voo
dang dong
ceesay sesay cisse sise cisseh
jallow jalloh diallo jallo
bah barry ba baa
touray toure ture
kamara camara
sow sowe
njie nije
drammeh drame dramé
conteh conte konteh
jammeh jamme
keita keitah
traore traore
coulibaly kulibali
hoxha hoxa hodja hoxhaj
xhafa jafa xafa
shehu sheu shehaj
gashi gashaj
krasniqi krasniki krasnici
berisha berishaj
kadri kadriu
qadir kadir qader kader
hussain hussein husain hossain husayn hosein
chaudhry choudhury chowdhury chaudhary choudhry chaudri
qureshi kureshi quraishi koreshi
siddiqui siddiqi sidiqui siddiqee
mohammed muhammad mohamed mohammad mohamud mohamad muhammed
ahmed ahmad ahmet achmed
rahman rehman rahmaan
abdullah abdulla abdallah
yusuf yousef youssef yousuf yusif
osman usman othman uthman
ali aly
saleh salih salah
ibrahim ebrahim ibraheem
mahmoud mahmood mahmud mehmood
sheikh shaikh shaik sheik
miah mia meah
uddin udin uddeen
begum begom
akhtar akhter
iqbal ikbal
noori nouri nuri
rasul rasool
ahmadi ahmady
hosseini husseini hoseini
mohammadi muhammadi mohamadi
tesfay tesfaye tesfai
haile hailu
gebremedhin gebremedin
abdi abdie
warsame warsama
singh sing
kaur kour
dhillon dhilon dillon
sandhu sandu
sidhu sidu
randhawa randawa
grewal garewal
gill gil
popescu popesku
ionescu ionesku
stoica stoika
munteanu muntean
shevchenko shevchenco schewtschenko
kovalenko kowalenko
tkachenko tkatchenko
wisniewski wisnieski visnievski
wojcik wojick
dabrowski dambrowski
silva dasilva
santos dossantos
souza sousa desouza
pereira perreira
oliveira oliviera
ozturk ozturc
celik chelik
simsek shimshek
kilic kilich
okonkwo okonkow okonko
nwosu nwozu
`;

const groupsByName = indexNameGroups(GROUPS);

/** The surname groups a folded name token belongs to (numbered apart from the given-name groups). */
export function surnameGroupIds(token: string): readonly number[] {
  return groupsByName.get(token) ?? [];
}

/**
 * The masculine form of a Slavic surname with a feminine ending, for comparing relatives: Atanasova ->
 * atanasov, Dimitrova -> dimitrov, Kowalska -> kowalski, Nowicka -> nowicki. Other names are returned unchanged.
 */
export function surnameBase(token: string): string {
  if (token.length < 6) return token;
  return token.replace(/(ov|ev)a$/, '$1').replace(/([sc]k|dzk)a$/, '$1i');
}
