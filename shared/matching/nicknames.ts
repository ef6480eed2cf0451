// Given names that people use for one another: English hypocoristics (Bill for William), diminutives common
// in the communities the allegations concern (Kasia for Katarzyna, Costi for Constantin, Mo for Mohammed), and
// spellings of one name across transliterations (Mohammed, Muhammad, Mohamed). Each line is one group; a name
// may sit in several groups (Alex is Alexander, Alexandra and Alexandru). Written for this product from common
// usage; matching also accepts shortened forms without a list (Flori for Florin), see names.ts.
import { indexNameGroups } from '../text/name-groups.ts';
const GROUPS = `
william bill billy will willy willie liam wills
robert rob bob bobby robbie bert robin
richard rich rick ricky dick richie
james jim jimmy jamie jimi
john jack johnny jon jonny johnnie ian sean shaun
jonathan jon jonny jonty nathan
thomas tom tommy thom tomas tomasz tomek toma
michael mike mick micky mikey mickey michal mihai mikhail misha
christopher chris kit topher krzysztof krzys
nicholas nick nicky nico nicolas nicolae nicu nikolai nikola
anthony tony ant antony anton antonio
andrew andy drew andrei andrzej andreas andre
alexander alex alec alexandr aleksander aleksandr sasha sandy xander alexandru alexandros olek alek
alexandra alex alexa sandra sasha lexi aleksandra ola sandy
daniel dan danny dani daniele
david dave davey davie dawid dai
edward ed eddie eddy ted teddy ned
elizabeth liz lizzie lizzy beth betty bess bessie eliza libby elisabeth elzbieta ela
margaret maggie meg peggy marge margo malgorzata gosia
katherine catherine kate katie kathy cathy kat katy katarzyna kasia kathryn kathleen
patricia pat patty trish tricia
jennifer jen jenny jenni
rebecca becky becca
samuel sam sammy
samantha sam sammy
benjamin ben benny benji
joseph joe joey jo jozef josef
stephen steven steve stevie stefan stephan steph
matthew matt matty mateusz mattia
timothy tim timmy
peter pete piotr petr petru piotrek
charles charlie chuck chas carl karl
henry harry hal hank
frederick fred freddie freddy
gregory greg grzegorz
kenneth ken kenny
lawrence larry laurence laurie
leonard len lenny leo leon
leonardo leo
lucas lukas luke luca lukasz
nathaniel nathan nat nate
patrick pat paddy
raymond ray
ronald ron ronnie
donald don donny
douglas doug
gerald gerry jerry
jeremy jerry jez
jacob jake jakub kuba
joshua josh
zachary zach zack
susan sue susie suzanne
deborah debbie deb debra
victoria vicky tori vikki
vikram vik vicky
abigail abby abbie
jessica jess jessie
natalie nat natalia natasha tasha
nathalie nat natalie
olivia liv livvy
sophia sophie sofia zofia
barbara barb babs basia
agnieszka aga agnes
wojciech wojtek
constantin costi costel dinu constantine kostas
gheorghe george gica georgi giorgi jorge
ion ionut ionel john
vasile vasi
dumitru dumi mitica
florin flori florian
marius mario
cristian cristi christian chris kristian kris
cristina cristi christina tina kristina chris
mohammed mohammad muhammad mohamed mohamad muhammed mohd mo moe mohamud mehmet mahomed
mustafa mustapha musti mustafah
ibrahim ebrahim ibo abraham
yusuf yousef youssef yousuf yusif joseph
suleiman sulaiman soliman suleyman
abdulrahman abdul abdo
abdullah abdallah abdul abdo
hussein husain hussain hossain husayn
hassan hasan
ahmed ahmad ahmet
rahman rehman
usman osman othman uthman
omar umar omer
ali aly
zubair zubi
oluwaseun seun
oluwatobi tobi
olusegun segun
oluwafemi femi
olumide mide
adebayo bayo
babajide jide
olawale wale
oluwakemi kemi
oluwadamilare dami
chinedu nedu
chukwuemeka emeka
ebrima ebou ebu
ebou ebrima
kwabena kobby
kwame kwam
rajesh raj
rajinder raj
rajendra raj
rajkumar raj
krishna krish
vijay vij
tesfaye tesfa
rebwar rebi
giovanni gianni john
francesco franco frank
francis frank frankie fran
francisco paco frank
jose pepe joseph
manuel manny
guillermo will william
alejandro alex
fernando nando
eduardo edu ed
arturo art arthur
arthur art artie
albert al bert bertie
alfred alf alfie fred
walter walt wally
bernard bernie
vincent vince vinny
salvatore sal
dmitri dima dmitry dimitri
vladimir vlad volodya
yevgeny zhenya evgeny eugene
ekaterina katya katerina
anastasia nastya stacy
svetlana sveta
tatiana tanya tatyana
elena lena helen ellen
helen helena ellen nell
ellen ellie
eleanor ellie nora elle
isabella bella izzy isabel isabelle
gabriel gabe gabi
gabriela gabi gaby gabriella
daniela dani
emmanuel manny emma
mohammed hamoudi
`;

const groupsByName = indexNameGroups(GROUPS);

/** True when the two folded given names are the same name in another form (nickname, diminutive, spelling). */
export function sameNameGroup(a: string, b: string): boolean {
  const ga = groupsByName.get(a);
  if (!ga) return false;
  const gb = groupsByName.get(b);
  if (!gb) return false;
  for (const g of ga) if (gb.includes(g)) return true;
  return false;
}

/** Every name in a group with this one (itself included), for blocking on equivalent names. */
export function nameGroupIds(a: string): readonly number[] {
  return groupsByName.get(a) ?? [];
}

/** For each group, the first letters its names start with (blocking by initial must not lose Bill for William). */
export function nameGroupInitials(): Map<number, string[]> {
  const out = new Map<number, Set<string>>();
  for (const [name, groups] of groupsByName) {
    for (const g of groups) {
      const set = out.get(g) ?? new Set<string>();
      set.add(name[0] as string);
      out.set(g, set);
    }
  }
  return new Map([...out].map(([g, s]) => [g, [...s]]));
}
