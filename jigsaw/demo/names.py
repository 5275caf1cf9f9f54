"""Names, streets and the ways records get them slightly wrong."""

import random
import unicodedata

GIRLS = (
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
    "Grace", "Freya", "Willow", "Florence", "Emily", "Ella", "Poppy", "Evie", "Elsie",
    "Charlotte", "Evelyn", "Sienna", "Sofia", "Daisy", "Phoebe", "Sophie", "Alice", "Harper",
    "Matilda", "Ruby", "Emilia", "Millie", "Isabelle", "Eva", "Chloe", "Jessica", "Layla",
    "Zara", "Aisha", "Fatima", "Maryam", "Amira", "Hana", "Zainab", "Maja", "Zuzanna", "Nadia",
    "Precious", "Chioma", "Abigail", "Hannah", "Holly", "Lucy", "Megan", "Eleanor", "Elizabeth",
    "Katherine", "Madison", "Amber", "Leah", "Esme", "Thea", "Aria", "Nancy", "Harriet",
    "Imogen", "Bethany", "Keira", "Zoë", "Rebecca", "Amara", "Priya", "Ayesha", "Oliwia",
)
BOYS = (
    "Muhammad", "Noah", "Oliver", "George", "Leo", "Arthur", "Oscar", "Theodore", "Freddie",
    "Harry", "Archie", "Henry", "Jack", "Alfie", "Charlie", "Jacob", "Thomas", "William",
    "Joshua", "James", "Lucas", "Isaac", "Finley", "Teddy", "Edward", "Samuel", "Joseph", "Max",
    "Alexander", "Ethan", "Daniel", "Dylan", "Logan", "Reuben", "Tommy", "Ibrahim", "Yusuf",
    "Ali", "Omar", "Adam", "Hamza", "Ayaan", "Kacper", "Jakub", "Filip", "Kwame", "Tobi",
    "Olumide", "Benjamin", "Frederick", "Alfred", "Luca", "Mason", "Riley", "Jayden", "Kai",
    "Harrison", "Ronnie", "Elijah", "Jude", "Albie", "Sonny", "Rory", "Zachary", "John",
    "Matthew", "Aarav", "Mohammed", "Kofi", "Stanley",
)
WOMEN = (
    "Sarah", "Emma", "Laura", "Rebecca", "Gemma", "Hannah", "Amy", "Rachel", "Charlotte",
    "Kelly", "Lisa", "Claire", "Nicola", "Stacey", "Jade", "Samantha", "Natalie", "Victoria",
    "Katie", "Jennifer", "Michelle", "Joanne", "Donna", "Fatima", "Nasreen", "Shazia",
    "Agnieszka", "Katarzyna", "Ngozi", "Abena", "Priya", "Sunita", "Elizabeth", "Kerry",
    "Danielle", "Leanne", "Chantelle", "Aaliyah", "Ioana", "Amina", "Margaret", "Katherine",
)
MEN = (
    "David", "Mark", "Paul", "Andrew", "James", "Daniel", "Christopher", "Michael", "Matthew",
    "Richard", "Steven", "Craig", "Lee", "Darren", "Jason", "Wayne", "Ryan", "Thomas", "Robert",
    "Adam", "Jamie", "Carl", "Dean", "Gary", "Kevin", "Imran", "Tariq", "Asif", "Piotr",
    "Tomasz", "Chinedu", "Kwabena", "Rajesh", "Stephen", "Nicholas", "John", "William",
    "Mihai", "Abdi", "Liam",
)
GRANDMOTHERS = ("Susan", "Karen", "Margaret", "Patricia", "Linda", "Janet", "Shirley", "Parveen")
GRANDFATHERS = ("Peter", "Keith", "Brian", "Alan", "Graham", "Malcolm", "Mohammed", "Derek")

SURNAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Wright", "Walker", "White", "Edwards", "Hughes",
    "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin",
    "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison",
    "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price",
    "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson",
    "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan",
    "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson",
    "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain",
    "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd",
    "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey",
    "Ahmed", "Okafor", "Adeyemi", "Mensah", "Osei", "Nowak", "Kowalski", "Wiśniewski", "Kaur",
    "Chowdhury", "Rahman", "Nguyen", "Chen", "Yilmaz", "Popescu", "O'Brien", "O'Connor",
    "Macdonald", "Fernandes", "Silva", "Da Costa", "Abdi", "Mohamed", "Hassan", "Ibrahim",
    "Thompson", "McCarthy", "Doherty", "Quinn", "Boateng", "Achterberg",
)
# Polish family names take a feminine form.
FEMININE_SURNAMES = {"Kowalski": "Kowalska", "Wiśniewski": "Wiśniewska"}

# Formal name ↔ the name a child or adult is known by.
NICKNAMES = {
    "John": ("Jack", "Johnny"), "Elizabeth": ("Liz", "Lizzie", "Beth"), "Alfred": ("Alfie",),
    "Henry": ("Harry",), "Oliver": ("Ollie",), "Charlotte": ("Lottie", "Charlie"),
    "Samuel": ("Sam", "Sammy"), "Alexander": ("Alex", "Xander"), "Isabella": ("Bella", "Izzy"),
    "Amelia": ("Millie", "Amy"), "Thomas": ("Tom", "Tommy"), "William": ("Will", "Billy"),
    "Joshua": ("Josh",), "Benjamin": ("Ben", "Benji"), "Frederick": ("Freddie", "Fred"),
    "Edward": ("Teddy", "Ed", "Eddie"), "Katherine": ("Katie", "Kate"), "Abigail": ("Abi", "Abbie"),
    "Eleanor": ("Ellie", "Nell"), "Muhammad": ("Mo",), "Mohammed": ("Mo",),
    "Daniel": ("Dan", "Danny"), "James": ("Jamie", "Jim"), "Joseph": ("Joe", "Joey"),
    "Matilda": ("Tilly",), "Florence": ("Flo", "Florrie"), "Theodore": ("Theo", "Teddy"),
    "Zachary": ("Zach",), "Rebecca": ("Becky", "Becca"), "Jessica": ("Jess",),
    "Matthew": ("Matt",), "Christopher": ("Chris",), "Michael": ("Mike", "Mick"),
    "Richard": ("Rich", "Rick"), "Robert": ("Rob", "Bob"), "Stephen": ("Steve",),
    "Nicholas": ("Nick",), "Andrew": ("Andy",), "David": ("Dave",), "Samantha": ("Sam",),
    "Victoria": ("Vicky", "Tori"), "Jennifer": ("Jen", "Jenny"), "Margaret": ("Maggie",),
    "Patricia": ("Pat", "Trish"), "Natalie": ("Nat",), "Nicola": ("Nicky",),
}
SPELLINGS = {
    "Muhammad": ("Mohammed", "Mohammad"), "Mohammed": ("Muhammad", "Mohamed"),
    "Aisha": ("Ayesha",), "Ayesha": ("Aisha",), "Zara": ("Zarah",), "Isabelle": ("Isabel",),
    "Sofia": ("Sophia",), "Sophia": ("Sofia",), "Layla": ("Leila", "Laila"), "Freya": ("Freja",),
    "Jayden": ("Jaden",), "Maja": ("Maya",), "Zoë": ("Zoe",), "Leah": ("Lea",),
    "Thompson": ("Thomson",), "Macdonald": ("McDonald", "MacDonald"), "Davies": ("Davis",),
    "Phillips": ("Philips",), "Clarke": ("Clark",), "Ahmed": ("Ahmad",), "O'Brien": ("OBrien",),
    "O'Connor": ("OConnor", "O Connor"), "Da Costa": ("DaCosta", "Costa"),
    "Wiśniewski": ("Wisniewski",), "Wiśniewska": ("Wisniewska",), "Chowdhury": ("Choudhury",),
    "Mohamed": ("Mohammed",), "Griffiths": ("Griffith",), "Stevens": ("Stephens",),
}

STREETS = (
    "Mill Lane", "Church Street", "Station Road", "Victoria Road", "Park Avenue", "High Street",
    "Queens Road", "Kings Road", "Willow Crescent", "Riverside Walk", "Hillside Drive",
    "Orchard Close", "Meadow Way", "Oak Tree Road", "Beech Grove", "Elm Avenue", "Ash Close",
    "Chestnut Drive", "Maple Road", "Holly Lane", "Rowan Way", "Hawthorn Avenue",
    "Sycamore Close", "Cedar Road", "Poplar Street", "Birch Lane", "Laurel Gardens",
    "Primrose Hill", "Bluebell Close", "Foxglove Way", "Heather Drive", "Clover Road",
    "Bridge Street", "Canal Side", "Wharf Road", "Ferry Lane", "Harbour View", "Quay Street",
    "Market Place", "Chapel Lane", "School Lane", "Vicarage Road", "Manor Road", "Grange Road",
    "Farm Lane", "Moor Lane", "Green Lane", "Common Road", "Field View", "Brook Street",
    "Springfield Road", "Fairfield Avenue", "Highfield Road", "Westfield Close", "Northgate",
    "Southgate", "Eastbourne Road", "Westbourne Grove", "Albert Street", "Alexandra Road",
    "Edward Street", "George Street", "Princess Street", "Regent Street", "Nelson Road",
    "Wellington Street", "Trafalgar Road", "Waterloo Road", "Cromwell Road", "Milton Avenue",
    "Shakespeare Road", "Byron Close", "Tennyson Avenue", "Wordsworth Drive", "Keats Grove",
    "Darwin Close", "Newton Road", "Faraday Drive", "Brunel Way", "Telford Road",
    "Stephenson Street", "Nightingale Close", "Kingfisher Court", "Heron Way", "Swan Lane",
    "Falcon Road", "Kestrel Close", "Skylark Drive", "Robin Way", "Wren Close", "Lark Rise",
    "Sandpiper Court", "Curlew Way", "Puffin Close", "Mallard Road", "Linnet Lane",
)
# Streets of flats: the address is "Flat n, <block>".
BLOCKS = ("Kingfisher Court", "Sandpiper Court", "Harbour View", "Canal Side", "Northgate")
ELSEWHERE = (
    "Newtown", "Eastmoor", "Castleford Lane", "Brackley Road", "Ashby Street", "Seaview Terrace",
)

# Inward-code letters: no C, I, K, M, O or V.
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def nickname(name: str, rng: random.Random) -> str | None:
    options = NICKNAMES.get(name)
    return rng.choice(options) if options else None


def formal_name(name: str) -> str | None:
    """The formal name a nickname stands for (first match), if it is one."""
    for formal, short in NICKNAMES.items():
        if name in short:
            return formal
    return None


def spelling(name: str, rng: random.Random) -> str | None:
    options = SPELLINGS.get(name)
    if options:
        return rng.choice(options)
    plain = strip_accents(name)
    return plain if plain != name else None


def strip_accents(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ł", "l")


def typo(name: str, rng: random.Random) -> str:
    """A keying slip: two letters swapped, one dropped, one doubled or a vowel changed."""
    if len(name) < 3:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 1)
    kind = rng.choice(("swap", "drop", "double", "vowel"))
    if kind == "swap" and name[i] != name[i + 1]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == "drop":
        return name[:i] + name[i + 1 :]
    if kind == "vowel" and name[i] in "aeiou":
        return name[:i] + rng.choice([v for v in "aeiou" if v != name[i]]) + name[i + 1 :]
    return name[:i] + name[i] + name[i:]


def family_name_for(surname: str, sex: str) -> str:
    return FEMININE_SURNAMES.get(surname, surname) if sex == "female" else surname
