"""What the demo's practitioners write: fictional, non-graphic safeguarding records as data.

Text fields are `str.format` templates over the names of one chronology: {child} (the name the
organisation uses), {full}, {he} {him} {his} {He} {His}, {carer} and {carer_is} ("mum"), {staff}
(who writes), {lead} (who decides), {colleague} ({initials}), {sibling}, {other} (another child), {time},
{org}, {school} and {topic}. Some records are vague on purpose, so the recording prompts show.
"""

import datetime
from dataclasses import dataclass

from jigsaw.demo import REFERENCE_DATE


@dataclass(frozen=True)
class Story:
    what: str
    categories: tuple[str, ...] = ()
    actions: str = ""
    words: str = ""  # the child's own words: a disclosure
    present: str = ""
    location: str = ""
    ages: tuple[int, int] = (0, 17)
    girls_only: bool = False
    other_part: str = ""  # the part of the other child the story names as {other}
    marks: tuple[tuple[str, str], ...] = ()  # (body-map region code, what was seen)
    better: str = ""  # what a correction says instead, when the writer is asked for specifics
    source: str = ""

    def text(self) -> str:
        return " ".join((self.what, self.actions, self.words, self.present, self.better))

    @property
    def needs_sibling(self) -> bool:
        return "{sibling}" in self.text()

    @property
    def needs_other(self) -> bool:
        return "{other}" in self.text()


@dataclass(frozen=True)
class Act:
    description: str
    due_days: int
    done: str = ""  # how it was completed; empty while it is still open
    owner: str = "lead"  # or "writer"


@dataclass(frozen=True)
class Decision:
    by: str  # a cast member, by the local part of their e-mail address
    outcome: str
    rationale: str
    acts: tuple[Act, ...] = ()


@dataclass(frozen=True)
class Beat:
    """One scripted moment in a named child's chronology."""

    days_before: int  # before REFERENCE_DATE
    at: str
    by: str
    story: Story
    kind: str = "concern"  # or the kind of entry a lead records
    decision: Decision | None = None
    read_by: str = ""  # read, not yet decided
    acts: tuple[Act, ...] = ()
    key_event: bool = False
    correction: tuple[str, Story] | None = None  # (reason, corrected story), the next working day

    @property
    def day(self) -> datetime.date:
        return REFERENCE_DATE - datetime.timedelta(days=self.days_before)


S = Story
PRIMARY, SECONDARY, UNDER_FIVE = (4, 11), (11, 17), (0, 4)

# Themes for schools, each in rough order of escalation; `ages` keeps each story to the right children.
SCHOOL_THEMES: dict[str, tuple[Story, ...]] = {
    "neglect": (
        S("{child} arrived at breakfast club at {time} and ate four slices of toast. {He} said {he} had not had any "
          "tea last night.", ("neglect",), "Gave {him} a fruit snack at break as well. Told {lead} (DSL) in person "
          "before registration.", ages=PRIMARY),
        S("{child} has worn the same polo shirt and jumper every day this week; both have food stains and there is a "
          "strong smell of stale urine. Two children moved away from {him} on the carpet.", ("neglect",),
          "Spare uniform given from the school stock; {child} changed in the medical room with {colleague} present. "
          "Logged for {lead}.", ages=PRIMARY),
        S("Head lice seen in {child}'s hair during a reading session; {he} scratched {his} scalp throughout. This is "
          "the third time this term and a letter went home after each of the others.", ("neglect",),
          "Phoned {carer} at 11:40 and left a voicemail. Passed to the DSL.", ages=PRIMARY),
        S("{child} told me {his} tooth has been hurting 'for ages'. {His} right cheek was swollen and {he} could not "
          "eat {his} lunch. {He} cannot remember seeing a dentist.", ("neglect",),
          "Phoned {carer}, who agreed to ring the emergency dental line. The office will check tomorrow that {he} "
          "has been seen."),
        S("{child} was not collected at 15:15. The office could not reach {carer} on either number. {child} waited in "
          "the office with {colleague} until {carer} arrived at 16:40; no reason was given.", ("neglect",),
          "Late collection recorded. {lead} told at 16:45.", ages=PRIMARY),
        S("{child} came to school without a coat again; it was 3°C at drop-off and {his} hands were red and cold. "
          "{He} said {his} coat 'doesn't fit any more'.", ("neglect",), "Coat given from the spares. Told {lead}."),
        S("{child} fell asleep twice in lessons this morning and said {he} had been up 'really late' on {his} tablet. "
          "Staff have seen {him} asleep in class four times this half-term.", ("neglect",),
          "Let {him} rest in the reading corner. Spoke to {carer} at pick-up, who said bedtime is 8pm."),
        S("{child} looked unkempt again. Some concerns about hygiene, seen by {initials}.", ("neglect",),
          better="{child}'s hair was matted at the back and {his} shirt collar was grey; {colleague} noticed a strong "
          "smell of body odour when sitting next to {him} in the lunch hall."),
        S("{child} and {sibling} arrived at 09:25 in summer uniform in the rain, without coats. {child} said they had "
          "walked on their own because {carer} 'was still asleep'.", ("neglect",),
          "Both given dry clothes from the spares. Told {lead} at 09:40.", ages=PRIMARY),
        S("{child} told me that {he} and {sibling} had cereal with water for tea because there was no milk, and that "
          "{carer} was 'in bed again'.", ("neglect", "parental-mental-health"),
          "Made sure both children had breakfast club today. Told {lead} at 09:15.", ages=PRIMARY),
    ),
    "attendance": (
        S("{child}'s attendance this half-term is 87%. {He} has missed nine sessions, six of them Mondays; four were "
          "reported by {carer} as illness after 09:30.", ("attendance",),
          "Attendance letter 1 sent. Logged so the DSL can see the pattern."),
        S("{child} is absent today with no message. The office phoned {carer} at 09:30 and 11:00 with no answer and "
          "sent a text at 11:05.", ("attendance", "missing"),
          "First-day calls made by {colleague}. {lead} to decide on a home visit if there is no contact by 09:30 "
          "tomorrow."),
        S("Attendance meeting with {carer}. {child}'s attendance is 81%. {carer} said {child} refuses to get up and "
          "has stomach aches on school mornings.", ("attendance",),
          "Support plan agreed: a daily 08:45 check-in with {colleague}, and a referral to the school nurse. Review "
          "in four weeks."),
        S("{child} arrived at 10:05, the sixth time this month after the register closed. {He} said {he} had to wait "
          "for {carer} to wake up.", ("attendance", "neglect"), "Late mark recorded. Told {lead}."),
        S("{child} off again. Attendance not good. {carer} not engaging.", ("attendance",),
          better="{child} was absent on Monday and Tuesday. Attendance this term is 83%. {carer} did not answer calls "
          "at 09:30 on either day or reply to the text message sent on Monday."),
    ),
    "wellbeing": (
        S("{child} cried at the gate and would not let go of {carer}'s hand. Once settled, {he} told me {he} worries "
          "because {his} {carer_is} 'stays in bed all day'.", ("parental-mental-health",),
          "Sat with {child} in the nurture room with {colleague} until 09:30. Told {lead} at break.", ages=PRIMARY),
        S("During a PSHE lesson about feelings {child} stayed behind at the end and spoke to me quietly and calmly.",
          ("parental-mental-health", "young-carer"),
          "Listened, thanked {him} for telling me, and explained that I would pass it on to {lead} so that we can "
          "help. Told {lead} at 12:10.", words="Mum cries a lot and I make my own breakfast. Sometimes I do my "
          "sister's too. I'm not allowed to tell Nan."),
        S("{carer} was tearful at the gate and told me they have not slept for days and 'can't cope with "
          "everything'. {child} was standing next to them and heard this.", ("parental-mental-health",),
          "Gave {carer} the number of the Westbridge Talking Therapies service. Told {lead} straight away."),
        S("{child} seemed upset all morning and was not {his} usual self. Possibly issues at home.", ("other",),
          better="{child} cried twice this morning (09:20 and 11:00), put {his} head on the desk and did not answer "
          "when {colleague} asked what was wrong. At lunch {he} told {colleague} {he} 'didn't sleep'."),
        S("At collection I heard {carer} shout at {child} across the playground: \"You're useless, you ruin "
          "everything.\" {child} looked at the floor and did not answer. Several parents were nearby.",
          ("emotional-abuse",), "Noted the time and who was there. Told {lead} the same afternoon.", ages=PRIMARY),
        S("{child} told me {he} helps {his} {carer_is}, {carer}, to get dressed each morning because of {carer}'s MS, "
          "and then walks {sibling} to school.", ("young-carer",),
          "Told {lead}. Gave {child} the leaflet for the Westbridge Young Carers group.", ages=(8, 17)),
    ),
    "domestic": (
        S("Operation Encompass notification from Westbridge Police at 08:05: officers attended the home at 23:40 last "
          "night after a report of a domestic incident. {child} was in the house.", ("domestic-abuse",),
          "{lead} told {child}'s class teacher to be available for {him} today; no questions unless {he} raises it.",
          source="Westbridge Police (Operation Encompass)"),
        S("During wet play {child} came and sat next to me and said {he} was tired because of the noise at home.",
          ("domestic-abuse",), "Listened and did not ask leading questions. Told {lead} at 12:50.",
          words="Dad was shouting and he threw the remote at the telly. I hid under my bed with my headphones on."),
        S("In art {child} drew a house with a large figure with an open mouth and a small figure in a corner. I asked "
          "'Can you tell me about your picture?'", ("domestic-abuse", "emotional-abuse"),
          "Kept the drawing and gave it to {lead} with this record.", words="That's me when they argue.",
          ages=PRIMARY),
        S("{child} flinched and covered {his} head when a door banged in the corridor, then cried for ten minutes "
          "before settling.", ("domestic-abuse",), "Stayed with {him}. Told {lead} at the end of the lesson."),
    ),
    "injury": (
        S("While {child} changed for PE I saw a bruise about 3cm across on {his} left upper arm, yellow-green in "
          "colour. I asked 'What happened there?' and {he} said {he} fell off the sofa.", ("physical-abuse",),
          "Did not examine further. Completed the body map and told {lead} at 10:15.",
          marks=(("front-left-upper-arm", "Yellow-green bruise about 3cm across"),)),
        S("{child} had four small round bruises in a line on the back of {his} right upper arm, seen when {he} "
          "rolled up {his} sleeves for painting.", ("physical-abuse",),
          "Told {lead} in person at 11:05; {lead} spoke to {child} with {colleague} present.",
          words="It was an accident. I was being naughty and got grabbed.",
          marks=(("back-right-upper-arm", "Four small round bruises in a line, each about 1cm"),)),
        S("{child} came in with a red mark on {his} left cheek. {He} told {colleague} that {his} brother did it 'by "
          "mistake' when they were playing.", ("physical-abuse",), "Body map completed. Told {lead}.",
          marks=(("front-face", "Red mark about 4cm long on the left cheek"),), ages=PRIMARY),
        S("{child} was limping and said {his} back hurt. {He} would not say why and asked not to do PE.",
          ("physical-abuse",), "Excused from PE. Told {lead}, who phoned {carer} at 13:30.",
          marks=(("back-lower-back", "Child pointed to the lower back; nothing seen as {he} kept {his} top on"),)),
    ),
    "online": (
        S("{child} told the class {he} plays an 18-rated game online until late at night and talks to 'a man from "
          "Manchester' who gives {him} game credits.", ("online-safety",),
          "Spoke to {child} privately at break. Told {lead}; online safety letter to go home.", ages=PRIMARY),
        S("{other} showed me messages on {child}'s tablet from an account asking {child} to move to a private chat app "
          "and to send a photo 'in your pyjamas'.", ("online-safety",),
          "Tablet kept in the office, screen not photographed. {lead} informed at 14:20.", other_part="witness"),
        S("A nude image of {child} was shared in a year-group chat last night. {child} came to the pastoral office in "
          "tears at 08:40.", ("online-safety", "child-on-child-abuse"),
          "Did not view or copy the image. {lead} followed the UKCIS guidance: devices secured, {carer} told, police "
          "informed.", ages=(13, 17)),
        S("{child} said someone {he} met on a gaming server has been sending {him} messages every night and told "
          "{him} to delete them.", ("online-safety",), "Told {lead} at 10:30.",
          words="He said he's 15 but his voice is really deep. He said I'm mature for my age.", ages=(10, 15)),
    ),
    "peers": (
        S("At lunchtime {other} pushed {child} off the climbing frame and kicked {him} while {he} was on the ground. "
          "Seen by the midday supervisor.", ("child-on-child-abuse",),
          "First aid for a grazed knee. Both children spoken to separately; both families phoned.",
          other_part="alleged_to_have_harmed", ages=PRIMARY),
        S("{child} told me that {other} has called {him} names and taken {his} snack every break 'for weeks'.",
          ("child-on-child-abuse",), "Told {lead} and the class teacher of {other}.",
          other_part="alleged_to_have_harmed"),
        S("{child} reported that {other} has made sexual comments about {his} body in the corridor and on Snapchat "
          "over two weeks, and showed me screenshots.", ("child-on-child-abuse",),
          "Screenshots not copied. Separate timetables for the two pupils from tomorrow. Told {lead} at 13:10.",
          other_part="alleged_to_have_harmed", ages=(12, 17)),
        S("Behaviour incident: {child} and {other} fighting at the bus stop after school.",
          ("child-on-child-abuse",), other_part="also_affected",
          better="At 15:25 {child} and {other} were punching each other at the bus stop on Mill Road; {colleague} "
          "separated them. {child} had a cut lip. Both said it started over a message in a group chat."),
    ),
    "self_harm": (
        S("In PE I saw several thin, straight healing cuts on {child}'s left forearm. {He} pulled {his} sleeves down "
          "when {he} saw me looking.", ("self-harm",),
          "Spoke to {him} privately after the lesson and walked {him} to {lead}, who saw {him} at 11:20.",
          marks=(("front-left-forearm", "Several thin straight healing cuts"),), ages=(12, 17)),
        S("{child} came to the pastoral office at lunch and asked to talk to someone. {He} was tearful but calm.",
          ("self-harm",), "{lead} completed a safety plan with {him}, phoned {carer} at 14:00 and referred to CAMHS.",
          words="I've been doing it since Christmas. It helps when my head gets too loud. I don't want to die, I just "
          "want it to stop.", ages=(12, 17)),
        S("{other} told me that {child} posted 'nobody would notice if I was gone' on a private story at 23:10 last "
          "night.", ("self-harm",), "Found {child} in form time and took {him} to {lead} at 08:50.",
          other_part="witness", ages=(12, 17)),
    ),
    "exploitation": (
        S("Westbridge Police told us at 08:10 that {child} was reported missing by {carer} at 23:00 on Saturday and "
          "came home at 14:00 on Sunday. {He} will not say where {he} was.", ("missing",),
          "{lead} spoke to {child} at 09:00; {he} said {he} was 'at a mate's'. Return interview requested.",
          source="Westbridge Police", ages=(12, 17)),
        S("{child} has a new phone and new designer trainers. On Tuesday and Wednesday {he} got into a car with two "
          "older young men at the gate at 15:20.", ("child-criminal-exploitation", "attendance"),
          "Car details noted and passed to {lead}, who shared them with Westbridge Police.", ages=(12, 17)),
        S("{child} was missing from home for two nights and was found by British Transport Police in another county "
          "with £300 in cash and two phones. {He} would not say how {he} got there.",
          ("missing", "child-criminal-exploitation"), "Told {lead}, who asked for an urgent strategy discussion.",
          source="Westbridge Police", ages=(12, 17)),
        S("{child} asked to speak to {lead} privately after registration and was shaking.",
          ("child-criminal-exploitation",), "{lead} phoned Westbridge Police and children's social care at 10:15.",
          words="I owe them money. If I don't do what they say they'll come to my house.", ages=(12, 17)),
        S("{child} has been picked up from school three times this week by a man who looks to be in his twenties. "
          "{He} told friends he is {his} 'boyfriend' and buys {him} vapes and clothes.",
          ("child-sexual-exploitation",), "Car registration noted. Told {lead} at 15:40.", ages=(13, 17)),
    ),
    "rare": (
        S("{carer} told me the family will travel abroad for six weeks in the summer so that {child} can have 'a "
          "special ceremony to become a woman, like her cousins'.", ("female-genital-mutilation",),
          "Told {lead} immediately. Asked {child} nothing.", ages=(5, 11), girls_only=True),
        S("{child} waited behind after a history lesson and said it was hard to talk at home.",
          ("forced-marriage", "honour-based-abuse"),
          "{lead} spoke to {child} alone, did not contact the family, and phoned the Forced Marriage Unit and "
          "children's social care the same day.",
          words="My dad says I'm getting engaged in the summer to my cousin. I don't want to. I'm not allowed to "
          "tell anyone.", ages=(15, 17)),
        S("In a lesson {child} said 'they should all be sent back' and showed classmates a video from a channel that "
          "promotes an extreme right-wing group.", ("radicalisation",),
          "The comment was challenged in the lesson. {lead} consulted the council's Prevent lead.", ages=(12, 17)),
        S("{child} told {his} teacher {he} has lived with 'Auntie Jo', a family friend, for five weeks while {carer} "
          "is 'away'. We have not been told of any change of address.", ("private-fostering",),
          "{lead} to check the arrangement and notify children's social care, as private fostering must be."),
        S("{carer} collected {child} at 15:20 and was unsteady; I could smell alcohol. {child} held {carer}'s arm "
          "and walked them out of the gate.", ("parental-substance-misuse",),
          "{colleague} was with me. {lead} informed at 15:30 and phoned the home at 17:00.", ages=PRIMARY),
    ),
}

NURSERY_THEMES: dict[str, tuple[Story, ...]] = {
    "care": (
        S("{child}'s nappy was heavily soiled on arrival at 08:00 and {he} had severe nappy rash. {carer} said {he} "
          "had 'only just been changed'.", ("neglect",), "Changed and cream applied with consent. Told {lead}."),
        S("{child} ate three portions at lunch and cried when the plates were cleared. {He} has arrived hungry on four "
          "days this fortnight.", ("neglect",), "Breakfast offered on arrival from now on. Told {lead}."),
        S("{child}'s clothes and shoes are too small; {his} toes are pressed against the end of {his} shoes.",
          ("neglect",), "Spare shoes given. {lead} to speak to {carer}."),
        S("{child} (aged {age}) has no words staff can understand and has missed two health visitor reviews.",
          ("neglect",), "{lead} phoned the health visiting team with {carer}'s agreement."),
        S("{child} has come to 9 of {his} 20 funded sessions this month, with no reasons given.", ("attendance",),
          "Text and calls to {carer}; no reply. Told {lead}."),
        S("{child} not very happy today, {carer_is} said bad night.", ("other",),
          better="{child} cried on and off from 08:15 to 10:00 and would not be put down. At drop-off {carer} said "
          "{child} had been awake from 02:00 to 05:00."),
    ),
    "home": (
        S("At drop-off {carer} told us {child} bruised {his} forehead falling against the coffee table at the "
          "weekend. Bruise seen: about 4cm, purple.", ("physical-abuse",),
          "Explanation recorded; body map completed. Told {lead}.",
          marks=(("front-head", "Purple bruise about 4cm across on the forehead"),)),
        S("During role play with dolls {child} made one doll hit the other and said these words.",
          ("domestic-abuse",), "Wrote the words down straight away. Told {lead} at 11:30.",
          words="Daddy shouting. Mummy crying. Go away Daddy."),
        S("{carer} came to collect {child} at 17:45 smelling strongly of cannabis and slurring their words.",
          ("parental-substance-misuse",),
          "{lead} spoke to {carer} and asked another family member to collect, which they did at 18:20."),
        S("{child} flinched and cried when {colleague} lifted {his} arm to put on {his} coat.",
          ("physical-abuse",), "Nothing seen on the arm. Told {lead}; {carer} phoned at 14:00."),
    ),
}

# What a lead writes when deciding, by outcome; the last of each is the rushed version.
RATIONALES = {
    "no_further_action": (
        "Read the concern and {child}'s chronology. This is the first concern about {him} and the explanation fits "
        "what was seen. No further action; staff to tell me if anything else is noticed.",
        "Spoke to {carer}, whose account matches {child}'s. No further action.",
        "NFA.",
    ),
    "monitor": (
        "Not at the threshold for early help on its own, but it adds to what we know about {child}. Monitor: staff "
        "to record anything further; I will review {his} chronology in four weeks.",
        "Another concern about {topic} for {child}. Monitor, with a weekly check-in with {him}.",
        "Discussed with {initials}. Monitor.",
    ),
    "early_help": (
        "These concerns about {topic} now form a pattern (see the chronology). {carer} is likely to accept support. "
        "Decision: offer an Early Help Assessment.",
        "The family needs help that we cannot give on our own. Offer early help; {carer} to be asked this week.",
    ),
    "refer_csc": (
        "{child} may be suffering significant harm. Decision: refer to Westbridge Children's Social Care through the "
        "MASH today. I have not told {carer} first, because that could put {child} at risk.",
        "With the earlier concerns about {topic}, this meets the threshold for a referral to children's social care. "
        "Referring now, with {carer}'s knowledge.",
    ),
    "refer_police": (
        "A crime may have been committed against {child}. Decision: report to Westbridge Police on 101 and tell "
        "children's social care.",
    ),
    "share": ("Share with the school nursing or health visiting team so that the health side of this is picked up; "
              "{carer} agrees.",),
    "more_information": (
        "Not enough to decide yet. I have asked {staff} what {child} said and did, and who else was there.",
    ),
}
# Team managers deciding on what their social workers and family support workers log.
SOCIAL_CARE_RATIONALES = {
    "monitor": ("Discussed in supervision. Keep to the plan and visit weekly until the review.",),
    "more_information": ("Ask {school} and the health visitor what they have seen this month before deciding.",),
    "refer_police": ("Possible assault: joint visit with Westbridge Police arranged for tomorrow.",),
}
EARLY_HELP_RATIONALES = {
    "early_help": ("Meets the early help threshold. Allocated to Kyle Bennett for an Early Help Assessment.",),
    "monitor": ("Kyle to talk it through with {carer} at the next visit; keep to the family plan.",),
    "refer_csc": ("This is now more than early help can hold safely: refer to children's social care.",),
}
ACTS = {
    "monitor": (Act("Check in with {child} weekly and add anything new to the chronology", 28,
                    "Checked in weekly for four weeks; nothing new.", owner="writer"),),
    "early_help": (Act("Offer {carer} an Early Help Assessment", 5,
                       "{carer} agreed; request for support sent to Westbridge Early Help Service."),
                   Act("Book the first Team Around the Family meeting", 21, "Booked and held; see the meeting.")),
    "refer_csc": (Act("Phone the MASH, then send the written referral", 0,
                      "Phoned the MASH and sent the written referral the same day."),
                  Act("Chase the MASH for the outcome if there is none by the next working day", 1,
                      "Outcome received from the MASH.")),
    "refer_police": (Act("Report to Westbridge Police and note the reference number", 0,
                         "Reported; reference noted."),),
    "more_information": (Act("Get the details from {staff}", 2, "Details received and added.", owner="writer"),),
}

CONTACT = (
    "Spoke to {carer} ({carer_is}) at the end of the day about the concerns about {topic}. {carer} listened, said "
    "things have been hard lately and agreed to let us know if anything changes.",
    "Phoned {carer} ({carer_is}) about {child}. {carer} said they were not aware and would talk to {child} tonight.",
)
TAF_MEETING = (
    "Team Around the Family meeting at {org}. Present: {carer}, {lead} and Kyle Bennett (Westbridge Early Help "
    "Service). {child}'s views, gathered beforehand by {colleague}: {he} wants 'things to be calmer at home'. "
    "Family plan agreed, to be reviewed in six weeks."
)
TAF_REVIEW = (
    "Team Around the Family review. Improvements seen since the last meeting and the plan is going well.",
    "Team Around the Family review with {carer} and Kyle Bennett. {child}'s attendance is 95% this half-term, up from "
    "86%; {carer} has started the parenting course. Agreed to close early help in six weeks if this continues.",
)
REFERRAL = (
    "Telephone referral to Westbridge MASH; spoke to Helen Carter (MASH officer). Shared the concern about {topic} "
    "and {child}'s chronology. Written referral form sent by secure e-mail an hour later."
)
MASH_FEEDBACK = (
    "Feedback from the MASH: the referral has been accepted for a child and family assessment; a social worker "
    "will be allocated this week.",
    "Feedback from the MASH: below the threshold for children's social care; stepped down to early help with "
    "{carer}'s consent.",
    "Feedback from the MASH: a strategy discussion was held and section 47 enquiries have started.",
)

ALERT_NOTES = {
    "frequent_concerns": "Seen. Each concern has been decided; {child}'s plan is reviewed every fortnight.",
    "neglect_accumulating": "Seen. Neglect concerns discussed with {carer}; early help offered and recorded.",
    "first_serious": "Seen on the day it was logged; the decision is in the chronology.",
    "absence_repeated": "Seen. Attendance officer meeting {carer}; return interviews requested.",
    "siblings": "Seen. The siblings' chronologies were read together; one plan for the household.",
}

# Children's social care and early help: (kind of entry, text, categories).
CSC_REFERRALS = (
    ("Contact received through the MASH from {school}: concerns about {topic}, with a chronology of earlier "
     "concerns. Meets the threshold for a child and family assessment.", ("neglect",)),
    ("Police notification of a domestic incident at the home; {child} was present. Third notification in six "
     "months. Passed for assessment.", ("domestic-abuse",)),
    ("Referral from Riverbank Surgery: {carer} told the GP they are 'not coping' and drinking most days. {child} "
     "lives with them.", ("parental-substance-misuse", "parental-mental-health")),
)
CSC_STEPS = (
    ("meeting", "Strategy discussion chaired by Fiona Grant (team manager) with Westbridge Police, {school} and "
     "health. Agreed: single-agency section 47 enquiry; {child} to be seen alone within 24 hours."),
    ("contact", "Home visit. {child} seen alone in {his} bedroom, which had a bed, bedding and toys. {He} said {he} "
     "feels safe at home 'most of the time'. {carer} agreed to the assessment."),
    ("contact", "Visit. Nobody answered the door at 16:00; a card was left asking {carer} to phone."),
    ("plan", "Child and family assessment completed: {child} is a child in need (section 17). Plan agreed with "
     "{carer}: fortnightly visits, a place on the Westbridge parenting course, attendance reviewed at each meeting."),
    ("meeting", "Child in need review. Present: {carer}, {school} (DSL), Kyle Bennett (early help) and the social "
     "worker. Attendance 93%; {carer} attended four of six parenting sessions."),
    ("note", "Case closed to children's social care and stepped down to early help with {carer}'s agreement: the "
     "child in need plan's outcomes are met."),
)
CSC_CONCERNS = (
    S("On an unannounced visit at 16:30 there was almost no food in the kitchen and the living room floor was "
      "covered in rubbish. {child} was watching television alone; {carer} arrived at 16:55.", ("neglect",),
      "Food bank voucher given. Discussed with Fiona Grant the same evening."),
    S("{child}'s school told me {he} has a bruise on {his} cheek and said 'Mum's friend did it'.",
      ("physical-abuse",), "Told Fiona Grant at once; strategy discussion requested.",
      marks=(("front-face", "Bruise on the left cheek, as described by the school"),)),
    S("Visit went ok, {carer_is} seemed fine. Not engaging with the plan though.", ("other",)),
)
EARLY_HELP_STEPS = (
    ("plan", "Early Help Assessment completed with {carer} and {child}. Family plan: a morning routine, help with "
     "debts from Citizens Advice, and one-to-one sessions for {child} with the school's learning mentor."),
    ("meeting", "Team Around the Family meeting at {school}. Present: {carer}, the school's DSL and Kyle Bennett. "
     "Plan reviewed: three of five actions done."),
    ("contact", "Home visit by Kyle Bennett. {carer} has cleared the back garden so {child} can play outside and "
     "shows a new bedtime chart on the fridge."),
    ("note", "Early help closed: the family plan's outcomes are met and {carer} says they know where to get help."),
)
EARLY_HELP_CONCERNS = (
    S("Request for support from {school}: concerns about {topic}. {carer} has given written consent.", ("other",),
      "Allocated for an Early Help Assessment.", source="Request for support"),
    S("On a home visit {carer} told me their partner 'controls all the money' and checks their phone. {child} was "
      "in the next room.", ("domestic-abuse",), "Gave the number of the Westbridge Domestic Abuse Service and "
      "completed a DASH risk assessment with {carer}. Told Jasmine Okoro at 15:10."),
    S("{child} told me during a session at school, while we were drawing.", ("domestic-abuse", "emotional-abuse"),
      "Told Jasmine Okoro straight away.", words="When they shout I go in my room and put the TV up loud."),
)

# Maya Thompson at Riverside School (see jigsaw.demo's docstring): 18 months from hunger and lateness, through early
# help, to a disclosure and a referral to children's social care. Bob teaches her, William Hart is her teaching
# assistant, Grace Lin looks after attendance; Alice Adeyemi and Frank Osei decide.
MAYA = (
    Beat(536, "08:55", "bob", S(
        "Maya arrived without a packed lunch for the third day this week. At lunch she asked other children for their "
        "crusts and said she had not had breakfast. Her polo shirt had the same stains as on Monday.", ("neglect",),
        "Gave Maya a school dinner from the hardship fund and toast at break. Told Alice Adeyemi (DSL) in person at "
        "13:20.", location="Classroom and lunch hall"),
        decision=Decision("alice", "monitor", "First concern about Maya's care at home. Hunger and the same stained "
                          "uniform on several days can be signs of neglect, but this is the first time it has been "
                          "noticed. Monitor: I will speak to Sarah Thompson (mum) at pick-up tomorrow.",
                          (Act("Speak to Sarah Thompson at pick-up about lunches and breakfast", 1,
                               "Spoke to Sarah; see the contact record."),))),
    Beat(535, "15:20", "alice", S(
        "Spoke to Sarah Thompson (mum) in the family room at pick-up about Maya coming in hungry and without lunch. "
        "Sarah said money has been tight since her hours were cut and Craig Wilson (her partner) is out of work. She "
        "answered every question and thanked me.", (),
        "Breakfast club place offered and accepted from tomorrow. Free school meals form completed with Sarah."),
        kind="contact"),
    Beat(496, "10:10", "grace", S(
        "Maya's attendance this summer term is 88.6%. She has missed eight sessions; six were Mondays, and on four "
        "of them Sarah Thompson phoned after 09:30 to say Maya was ill.", ("attendance",),
        "Attendance letter 1 sent. Logged for the DSL as Maya is already known for the concern in May."),
        decision=Decision("frank", "monitor", "Attendance adds to the concern about hunger in May. Monitor: the "
                          "attendance officer will meet Sarah if attendance is below 90% at the end of term.",
                          (Act("Attendance meeting with Sarah Thompson if below 90% at the end of term", 25,
                               "Meeting held; morning routine agreed and breakfast club confirmed."),))),
    Beat(412, "09:05", "bob", S(
        "Maya has arrived 35 minutes late on four of the first eight days of term. Head lice were seen in her hair "
        "last week and again today, and she has scratched her scalp until it bled. She told me she 'looks after Isla "
        "in the mornings' because Mum is tired.", ("neglect", "young-carer"),
        "Told Alice Adeyemi at 09:40. Head lice letter sent home again."),
        decision=Decision("alice", "early_help", "Third concern in four months: hunger and the same uniform in May, "
                          "low attendance in June, and now lateness, head lice and caring for her sister. Together "
                          "they suggest Maya's needs at home are not met consistently. Below the threshold for "
                          "children's social care, and Sarah has accepted help before. Decision: offer an Early Help "
                          "Assessment.",
                          (Act("Offer Sarah Thompson an Early Help Assessment and send the request for support", 3,
                               "Sarah agreed two days later; request for support sent with her signed consent."),))),
    Beat(377, "15:30", "alice", S(
        "Team Around the Family meeting at Riverside School. Maya's views were gathered beforehand by William Hart: "
        "she likes drawing and wants 'Mum to be happy again'. Plan: breakfast club every day; Sarah to see her GP at "
        "Riverbank Surgery about low mood; Kyle Bennett to visit fortnightly; attendance target 95%.", (),
        present="Sarah Thompson (mum), Kyle Bennett (Westbridge Early Help Service), Alice Adeyemi (DSL), Bob "
        "Fletcher (class teacher)"), kind="meeting",
        acts=(Act("Review the family plan at the next Team Around the Family meeting", 42, "Review held."),)),
    Beat(286, "11:30", "grace", S(
        "Maya's attendance in the autumn term was 84.2%, down from 88.6% in the summer term. Twelve sessions were "
        "missed: Sarah Thompson gave illness for eight; four are unexplained.", ("attendance",),
        "Attendance letter 2 sent. Told Frank Osei (deputy DSL)."),
        decision=Decision("frank", "monitor", "Attendance has fallen despite the family plan. Monitor, and share the "
                          "figures with Kyle Bennett (early help) before the review.",
                          (Act("Send the attendance figures to Kyle Bennett", 5, "Sent by secure e-mail."),))),
    Beat(262, "12:40", "will", S(
        "Maya seemed upset and was not her usual self today. Some concerns about issues at home.", ("neglect",)),
        decision=Decision("alice", "more_information", "Not enough detail to decide. I have asked William Hart what "
                          "Maya said and did, and who else was there."),
        correction=("Rewritten with what I saw and what Maya said, after Alice Adeyemi asked for the detail.", S(
            "Maya cried twice during the morning (09:20 in phonics and 11:00 in maths) and put her head on the table. "
            "When I asked if she was all right she said her tooth hurt and had hurt 'since before Christmas'. Her "
            "right cheek was swollen.", ("neglect",),
            "Told Alice Adeyemi at 11:15; the office phoned Sarah Thompson, who booked the emergency dentist."))),
    Beat(230, "15:30", "alice", S(
        "Team Around the Family review. Improvements seen since the last meeting: Maya's attendance this half-term is "
        "94%, she has been to the dentist and breakfast club is going well.", (),
        present="Sarah Thompson, Kyle Bennett, Alice Adeyemi"), kind="meeting"),
    Beat(146, "07:55", "alice", S(
        "Operation Encompass notification from Westbridge Police at 07:55: officers went to 14 Willow Crescent at "
        "22:30 on Sunday after neighbours reported shouting and a crash. Craig Wilson was arrested and released under "
        "investigation. Maya, Leo and Isla were at home and were seen by officers; none was hurt.",
        ("domestic-abuse",), "Told Bob Fletcher to be available to Maya today; no questions unless she raises it. "
        "Told the DSLs at Little Acorns Nursery and Westbridge Academy by phone.",
        source="Westbridge Police (Operation Encompass)"),
        decision=Decision("alice", "share", "Share with Kyle Bennett (early help) so that the family plan reflects "
                          "the incident; Sarah consented to sharing under the plan.",
                          (Act("Tell Kyle Bennett and ask whether the family plan needs reviewing", 1,
                               "Done by phone; Kyle is visiting Sarah this week."),))),
    Beat(41, "11:00", "grace", S(
        "Maya has missed 5 of the first 24 sessions this term (79%) with no reasons given, and arrived after the "
        "register closed on three days.", ("attendance",), "Told Frank Osei."),
        decision=Decision("frank", "monitor", "Attendance is lower than at any time since May 2025. Monitor; home "
                          "visit with the attendance officer if it is still below 90% in two weeks.",
                          (Act("Home visit with the attendance officer if attendance is still below 90%", 14),))),
    Beat(27, "09:10", "bob", S(
        "Maya arrived at 09:10 in the same clothes as on Friday; they were damp and smelt strongly of urine. She ate "
        "three bowls of cereal at breakfast club and told Mrs Begum there was 'no tea last night'. Her shoes are "
        "split along the sole and her socks were wet.", ("neglect",),
        "Spare uniform and socks from school stock; Maya changed in the medical room with Grace Lin present. Told "
        "Alice Adeyemi at 09:30.", location="Breakfast club"),
        decision=Decision("alice", "monitor", "The signs of neglect that improved in the spring are back. I will "
                          "speak to Sarah and to Kyle Bennett this week and consider a referral if nothing changes.",
                          (Act("Speak to Sarah Thompson about the return of signs of neglect", 2,
                               "Sarah said she is 'struggling' and that Craig Wilson has moved back in."),
                           Act("Ask Westbridge Early Help Service whether the family plan is still active", 3)))),
    Beat(18, "13:40", "grace", S(
        "While Maya changed for PE I saw three bruises on the outside of her left upper arm, each 1–2cm across, "
        "purple-blue, in a row, and a yellowing bruise on her right shin. I asked 'What happened to your arm?' and "
        "Maya pulled her sleeve down, shrugged and did not answer.", ("physical-abuse",),
        "Asked nothing else and looked no further. Completed the body map and told Alice Adeyemi in person at 13:55.",
        location="Changing room", present="Grace Lin only",
        marks=(("front-left-upper-arm", "Three purple-blue bruises in a row, each 1–2cm, outside of the arm"),
               ("front-right-shin", "Yellowing bruise about 3cm across"))),
        decision=Decision("alice", "more_information", "Bruises in a pattern that could be from fingers, with no "
                          "explanation, and recent neglect. Maya has said nothing and I cannot tell how the bruises "
                          "happened, so I am asking the MASH for advice today before deciding.",
                          (Act("Consult the MASH about the bruising", 0, "Helen Carter (MASH) advised: refer at once "
                               "if Maya says anything or more injuries are seen."),))),
    Beat(10, "10:20", "will", S(
        "During reading in the library Maya stopped, put her book down and told me this without being asked. She was "
        "calm at first and then cried. I listened and asked only 'Is there anything else you want to tell me?'; she "
        "shook her head.", ("physical-abuse", "domestic-abuse"),
        "Told Maya she had done the right thing and that I must tell Alice so adults can help keep her safe. Took "
        "her back to class and told Alice Adeyemi in person at 10:35. Wrote this at 11:05.",
        words="Craig shouts at Mum all the time. Last night he pushed me into the door because I got in the way. My "
        "arm still hurts. I don't want to go home tonight.",
        present="William Hart (teaching assistant); nobody else was in the library", location="School library"),
        decision=Decision("alice", "refer_csc", "Maya has disclosed being hurt by Craig Wilson (her mother's "
                          "partner) and domestic abuse at home, and says she does not want to go home. With the "
                          "bruising seen on 14 October and the return of neglect, she may be suffering significant "
                          "harm. Decision: refer to children's social care through the MASH now. Sarah Thompson is "
                          "not told first, as that could put Maya at risk; the MASH will advise.",
                          (Act("Telephone referral to the MASH, then the written referral form", 0,
                               "Phoned at 11:20 (Helen Carter); form sent at 12:05."),
                           Act("Chase the MASH for the outcome if there is none by the next working day", 1,
                               "Dan Mensah phoned back the next morning.")))),
    Beat(10, "11:20", "alice", S(
        "Telephone referral to Westbridge MASH; spoke to Helen Carter (MASH officer). Shared Maya's disclosure today, "
        "the bruising seen on 14 October, the neglect and attendance concerns since May 2025, the Operation "
        "Encompass notification in June and the early help involvement. Written referral sent at 12:05.",
        ("physical-abuse", "domestic-abuse"),
        "Helen Carter advised that Maya stays at school today and that children's social care will decide before "
        "15:15 who collects her."), kind="referral", key_event=True),
    Beat(9, "09:40", "alice", S(
        "Feedback from Dan Mensah (social worker) at 09:40: a strategy discussion was held yesterday and section 47 "
        "enquiries have started. Maya went home with Sarah after Craig Wilson agreed to stay at his brother's while "
        "enquiries continue. Dan will see Maya at school on Tuesday.", ()), kind="note"),
    Beat(3, "13:10", "bob", S(
        "Maya was asleep in the book corner at 13:10. When I woke her she said this.", ("domestic-abuse",),
        "Told Maya I could not keep it a secret and why. Told Alice Adeyemi at 13:25; she phoned Dan Mensah.",
        words="Craig came back last night and they were shouting. Please don't tell anyone."), read_by="alice"),
)
MAYA_AT_SOCIAL_CARE = (
    Beat(10, "11:45", "gareth", S(
        "Referral received through the MASH from Riverside School (Alice Adeyemi, DSL): Maya disclosed this morning "
        "that Craig Wilson, her mother's partner, pushed her into a door last night during an argument with her "
        "mother. Bruising to her left arm was seen at school on 14 October. Early help since October 2025; Operation "
        "Encompass notification in June 2026.", ("physical-abuse", "domestic-abuse")),
        kind="referral", key_event=True),
    Beat(10, "14:30", "fiona", S(
        "Strategy discussion. Agreed: joint section 47 enquiry; Craig Wilson to be asked to leave the home while "
        "enquiries continue; Maya to be seen alone by Dan Mensah; Leo and Isla to be seen within 48 hours. No "
        "medical needed: the bruising is healing and was recorded by the school.", (),
        present="Fiona Grant (chair), DC Uma Sharma (Westbridge Police), Alice Adeyemi (Riverside School), Nkechi Eze "
        "(Westbridge Hospitals), Dan Mensah"), kind="meeting", key_event=True,
        acts=(Act("See Maya alone", 5, "Seen at school; see the contact record.", owner="dan"),
              Act("See Leo and Isla", 2, "Both seen at home with DC Sharma.", owner="dan"),
              Act("Decide whether to request an initial child protection conference", 15, owner="fiona"))),
    Beat(10, "17:30", "dan", S(
        "Home visit to 14 Willow Crescent with DC Uma Sharma. Sarah Thompson was at home with Maya, Leo and Isla. "
        "Craig Wilson had left; Sarah said he is at his brother's and signed a safety agreement that he will not "
        "return while enquiries continue. The house was warm and there was food in the fridge.", ()), kind="contact"),
    Beat(5, "10:00", "dan", S(
        "Saw Maya alone at Riverside School in the family room from 10:00 to 10:40. She drew her house and the people "
        "in it and talked about each of them. She said she likes it when it is 'just us'.", (),
        words="I feel safer now Craig's not there. I still worry about Mum."), kind="contact"),
    Beat(3, "14:10", "dan", S(
        "Riverside School told me (Alice Adeyemi, 13:40) that Maya says Craig Wilson came back to the house last "
        "night. Phoned Sarah Thompson at 14:10: she said he came for his clothes and left after an argument. Reminded "
        "her of the safety agreement. Discussed with Fiona Grant: an initial child protection conference is to be "
        "requested.", ("domestic-abuse",)), kind="note",
        acts=(Act("Request an initial child protection conference", 1, owner="dan"),)),
)

MOVED = "Logged against {wrong} by mistake: this happened to {child}, {his} twin. Moved to {child}'s chronology."
BETTER = "Added what I saw and heard, after {lead} asked for specifics."
EARLY_HELP_REQUESTS = (
    ("neglect",), ("attendance",), ("parental-mental-health",), ("domestic-abuse",), ("young-carer",),
)
