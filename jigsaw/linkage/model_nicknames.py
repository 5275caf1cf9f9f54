"""English given names and the short forms and nicknames people are recorded under.

Each line is a full name, a colon, and its variants. A variant may belong to several full names
("alex" is short for both Alexander and Alexandra), so a name maps to a *set* of full names and two
names are nickname-equivalent when their sets meet: Alex matches Alexander and Alexandra, but
Alexander never matches Alexandra (twins are often named that way). Splink ships no such table.
"""

from functools import cache

_TABLE = """
abigail: abi abby abbie abbey gail
adam: ad
adrian: ade
agnes: aggie nessa nessie nancy
albert: al bert bertie
alexander: alex alec alexis lex sandy xander sasha
alexandra: alex alexa lexi lexie sandra sandy sasha ali
alfred: alf alfie fred freddie
alice: ali allie ally
alison: ali allie ally
amanda: mandy manda
amelia: millie milly amy mia
andrew: andy drew
angela: angie
anne: annie nan nancy ann anna
anthony: tony ant
archibald: archie
arthur: art artie
barbara: barb babs
benjamin: ben benny benji
bernard: bernie
beatrice: bea bee trixie
bradley: brad
bridget: biddy bridie
caroline: carol carrie caz
catherine: cathy cath kate katie kath kathy kay cat kit katherine kathryn
charles: charlie chas chuck chaz charley
charlotte: charlie lottie lotte chaz
christian: chris
christina: chris tina chrissie
christine: chris chrissie tina
christopher: chris kit topher
claire: clare
clifford: cliff
cornelius: neil
cynthia: cindy
daniel: dan danny
david: dave davey davie
deborah: debbie deb debs
dennis: den
dominic: dom
donald: don donnie
dorothy: dot dotty dolly
douglas: doug
edmund: ed eddie ted ned
edward: ed eddie eddy ted teddy ned
eleanor: ellie nell nellie ella elle nora
elizabeth: liz lizzie lizzy beth betty bet bess bessie eliza libby elsie lisa liza betsy lizbeth
emily: em emmy millie
emma: em emmy
eugene: gene
evelyn: evie eve
florence: flo florrie
frances: fran fanny frankie
francis: frank frankie fran
frederick: fred freddie freddy fritz
gabriel: gabe gabby
gabrielle: gabby gabi
geoffrey: geoff jeff
george: georgie geordie
georgina: georgie gina
gerald: gerry jerry
gertrude: gertie trudy
gillian: gill jill
gregory: greg
harold: harry hal
hugh: hughie huey
humphrey: humph
ian: iain
malcolm: mal
matilda: tilly tilda mattie maud
norman: norm
simon: si
theresa: tess tessa terri
helen: nell nellie
henry: harry hal hank hen
isabel: izzy bella isabelle isobel
isabella: izzy bella
jacob: jake
jacqueline: jackie jacqui jackey
james: jim jimmy jimmie jamie jem jamesy
jane: janey jenny
janet: jan
jennifer: jen jenny jenna
jessica: jess jessie
joanne: jo joanna
john: johnny jack jon jonny jackie johnnie ian
jonathan: jon jonny nathan
joseph: joe joey jo
josephine: jo josie
joshua: josh
judith: judy jude
julian: jules
katherine: kate katie kathy kath kat kit catherine
kenneth: ken kenny
kimberley: kim kimberly
lawrence: larry laurie lol laurence
leonard: leo len lenny
leslie: les
lewis: lew louis
lillian: lily lil lillie
louisa: lou lulu
louise: lou lulu
madeleine: maddie maddy madeline
margaret: maggie meg peggy marge madge maisie greta rita daisy mags
marjorie: marge margie
martin: marty
mary: molly polly mae may mamie
matthew: matt matty
maximilian: max
maxwell: max
megan: meg
melissa: mel missy
michael: mike mick mickey micky mikey
michelle: shell shelley
miriam: mimi
mitchell: mitch
nathan: nate nat
nathaniel: nat nate nathan
nicholas: nick nicky nico
nicola: nicky nikki
oliver: ollie olly
olivia: liv livvy ollie
patricia: pat patty trish tricia
patrick: pat paddy
penelope: penny
peter: pete
philip: phil pip phillip
rachel: rach
raymond: ray
rebecca: becky becca bex
reginald: reg reggie
richard: rick ricky dick dickie rich richie richey
robert: rob robbie robby bob bobby bert robin
rodney: rod
ronald: ron ronnie
rosemary: rose rosie
samantha: sam sammy
samuel: sam sammy
sarah: sally sadie sara
sebastian: seb
sophia: sophie
sophie: sophia soph
stephanie: steph
stephen: steve stevie steven
stuart: stu stewart
susan: sue susie suzy
suzanne: sue suzy susanne
sydney: syd sid
terence: terry tel
theodore: theo ted teddy
thomas: tom tommy tommie thom
timothy: tim timmy
tobias: toby
valerie: val
victoria: vicky tori vic
vincent: vince vinny vinnie
walter: walt wally
william: will bill billy willie willy liam wil wills
winifred: winnie fred
zachary: zach zack zac
augustus: gus gussie
edwin: ed eddie win
ernest: ernie ern
gilbert: gil bert
herbert: herb bert herbie
howard: howie
isaac: ike
lavinia: vinnie
norman: norm norrie
percival: percy
solomon: sol
stanley: stan
"""


def _parse(table: str) -> dict[str, frozenset[str]]:
    full_names: dict[str, set[str]] = {}
    for line in table.strip().splitlines():
        full, variants = line.split(":")
        for name in (full, *variants.split()):
            full_names.setdefault(name, set()).add(full)
    return {name: frozenset(fulls) for name, fulls in full_names.items()}


FULL_NAMES = _parse(_TABLE)


@cache
def full_names_of(given_name: str) -> tuple[str, ...]:
    """The full names `given_name` may stand for, sorted; the name itself when it is not in the table."""
    return tuple(sorted(FULL_NAMES.get(given_name, {given_name})))
