"""Phrase banks for generated news prose: names, places and sentence templates per story frame.

Templates use `{slot}` for story facts (see prose.py) and `[a|b|c]` for wording
alternatives, so that stories of one frame still differ in most of their words.
"""

from __future__ import annotations

KOREAN_FAMILY = [
    "Kim",
    "Lee",
    "Park",
    "Choi",
    "Jung",
    "Kang",
    "Cho",
    "Yoon",
    "Jang",
    "Lim",
    "Han",
    "Oh",
    "Seo",
    "Shin",
    "Kwon",
    "Hwang",
    "Ahn",
    "Song",
    "Yoo",
    "Hong",
]
KOREAN_GIVEN = [
    "Min-jun",
    "Seo-yeon",
    "Ji-hoon",
    "Hye-jin",
    "Dong-hyun",
    "Su-bin",
    "Jae-won",
    "Eun-ji",
    "Tae-hoon",
    "Ye-rin",
    "Sung-min",
    "Na-young",
    "Kyung-soo",
    "Ha-eun",
    "Woo-jin",
]
UKRAINIAN_FIRST = [
    "Oleksandr",
    "Andriy",
    "Mykola",
    "Yulia",
    "Iryna",
    "Dmytro",
    "Serhiy",
    "Oksana",
    "Bohdan",
    "Kateryna",
    "Vitaliy",
    "Nataliya",
    "Taras",
    "Halyna",
    "Yevhen",
]
UKRAINIAN_LAST = [
    "Kovalenko",
    "Shevchuk",
    "Bondarenko",
    "Tkachenko",
    "Kravets",
    "Moroz",
    "Lysenko",
    "Marchenko",
    "Hnatyuk",
    "Polishchuk",
    "Savchenko",
    "Rudenko",
    "Ostapenko",
    "Zinchenko",
    "Havryliuk",
]
WESTERN_FIRST = [
    "Michael",
    "Sarah",
    "David",
    "Emma",
    "Robert",
    "Laura",
    "Peter",
    "Anna",
    "Christopher",
    "Helen",
    "Mark",
    "Julia",
    "Simon",
    "Claire",
    "Erik",
]
WESTERN_LAST = [
    "Harrison",
    "Lindgren",
    "Novak",
    "Brennan",
    "Fischer",
    "Caldwell",
    "Dupont",
    "Moretti",
    "Sandberg",
    "Whitaker",
    "Keller",
    "Okafor",
    "Vance",
    "Hollis",
    "Marsh",
]

UA_ROLES = (
    "a spokesperson for Ukraine's military intelligence agency HUR",
    "a deputy commander of Ukraine's northern operational group",
    "an adviser to Ukraine's defence ministry",
    "a spokesperson for Ukraine's foreign ministry",
    "a battalion commander fighting in the Kursk region",
    "a member of Ukraine's parliamentary defence committee",
)
KR_ROLES = (
    "a lawmaker on South Korea's parliamentary intelligence committee",
    "a spokesperson for South Korea's defence ministry",
    "a senior official at South Korea's unification ministry",
    "a former deputy director of South Korea's National Intelligence Service",
)
WEST_ROLES = (
    "a senior NATO official",
    "a spokesperson for the US State Department",
    "a British defence official",
    "a European Union foreign policy spokesperson",
    "a Japanese government spokesperson",
)
ANALYST_ORGS = (
    "the Seoul Institute for Security Studies",
    "the Centre for Eurasian Defence Studies",
    "the Kyiv Security Forum",
    "the Pacific Strategy Group",
    "the Nordic Institute of Conflict Research",
    "Kookmin University",
    "Yonsei University",
    "King's College London",
    "the Korea Institute for National Unification",
    "the Asan Institute for Policy Studies",
    "the Institute for the Study of War",
    "the Royal United Services Institute",
)
FRONTS = (
    "Kursk Oblast",
    "the Kursk region",
    "the Belgorod border area",
    "the Sudzha district",
    "the Glushkovo district",
    "the Bryansk border region",
)
UA_CITIES = (
    "Kharkiv",
    "Zaporizhzhia",
    "Kyiv",
    "Dnipro",
    "Sumy",
    "Odesa",
    "Kryvyi Rih",
    "Poltava",
    "Chernihiv",
    "Mykolaiv",
)
NK_SITES = (
    "the port of Rajin",
    "the Tumangang rail crossing",
    "a munitions plant near Kanggye",
    "the Sinpo shipyard",
    "the Sohae launch site",
    "an airfield outside Wonsan",
)
RU_SITES = (
    "the port of Vostochny",
    "the Khasan rail terminal",
    "a depot near Tikhoretsk",
    "an arsenal outside Kotovsk",
    "the Vostochny Cosmodrome",
    "a training ground near Ussuriysk",
)
WEAPONS = (
    "KN-23 ballistic missiles",
    "KN-24 short-range missiles",
    "Koksan self-propelled guns",
    "240mm multiple rocket launchers",
    "152mm artillery shells",
    "122mm rockets",
    "anti-tank guided missiles",
    "Bulsae-4 missile systems",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Quote wrappers: the claim comes from the story frame.
QUOTE_OPENINGS = (
    "We have seen clear evidence that",
    "There is no longer any doubt that",
    "What we are observing now is that",
    "Our information shows that",
    "Everything we know suggests that",
    "It is important to understand that",
    "The picture has changed:",
    "Frankly,",
)
PLAIN_OPENINGS = ("Honestly,", "I think", "For us,", "You know,")
QUOTE_CLOSINGS = (
    ".",
    ", and that should worry everyone.",
    ", and nobody should pretend otherwise.",
    ". That is the reality now.",
    ", and it will not stop by itself.",
    ". We must respond.",
)
SPEECH = (
    "said",
    "told reporters",
    "said in an interview",
    "said at a briefing",
    "wrote in a statement",
    "told a news conference",
)

# Background paragraphs are built from these facts; hard-negative pairs share one.
BACKGROUND_FACTS = (
    "North Korea and Russia signed a mutual defence treaty in June 2024 during a visit by "
    "Vladimir Putin to Pyongyang.",
    "The treaty obliges each side to provide military assistance if the other is attacked.",
    "Ukrainian and South Korean intelligence first reported North Korean troops in Russia in "
    "October 2024.",
    "Pyongyang and Moscow acknowledged the deployment only in April 2025, months after it began.",
    "Western governments accuse North Korea of supplying millions of artillery shells to "
    "Russia since 2023.",
    "A UN panel that monitored sanctions on North Korea was disbanded in 2024 after a Russian "
    "veto.",
    "Kim Jong Un has visited Russia twice since the full-scale invasion of Ukraine began in "
    "February 2022.",
    "Ukrainian forces crossed into Russia's Kursk region in August 2024.",
    "South Korea has so far refused to send weapons directly to Ukraine.",
    "Analysts say North Korea is gaining combat experience that no other army in Asia has.",
    "The United States, Japan and South Korea have condemned the arms transfers as a "
    "violation of UN Security Council resolutions.",
    "Russia has denied breaching sanctions and calls its ties with Pyongyang legitimate "
    "cooperation between neighbours.",
    "North Korea's state media rarely mention the deployment, and families of soldiers are "
    "told little.",
    "Satellite images have shown heavy rail traffic at the Tumangang crossing on the border "
    "between the two countries.",
    "Ukraine holds a small number of North Korean prisoners of war captured in early 2025.",
    "Moscow has not disclosed how many North Korean soldiers have been killed or wounded.",
)

REACTIONS = (
    "The Kremlin did not respond to a request for comment, and North Korea's state news "
    "agency KCNA made no mention of the [report|claims|allegations].",
    "[Moscow|Russian officials] [dismissed|rejected] the [report|allegations] as "
    "[propaganda|Western disinformation], while Pyongyang [stayed silent|issued no comment].",
    "A spokesperson for {ua_body} said the information had been shared with Ukraine's "
    "[partners|allies] in [Seoul|Washington and Brussels|Europe and Asia].",
    "[South Korea's|Seoul's] foreign ministry said it was [verifying|examining] the "
    "[reports|claims] with [Kyiv|Ukrainian officials] and would consider '[all options|every "
    "response]'.",
    "[Japan|Britain|The European Union] [condemned|denounced] what it called a "
    "[deepening|dangerous] military alliance between Moscow and Pyongyang.",
    "{kr_body} said on {weekday} that it [shared|partly shared] the Ukrainian "
    "[assessment|estimate], [while|although] it [gave|offered] no figures of its own.",
    "Asked about the [report|claims] on {weekday}, [Kremlin spokesman|a Kremlin spokesman,] "
    "{ru_first} {ru_last} [said|told reporters] he had 'nothing to add'.",
    "{west_role_cap} said the [findings|reports] were '[consistent with|in line with]' what "
    "[allies|Western governments] had [seen|observed] [for months|since the summer].",
)
OUTLOOKS = (
    "[Officials|Analysts] expect [further|more] [rotations|deployments] [before|after] the "
    "winter, when fighting along the front [usually slows|tends to ease].",
    "{analyst_last} said the [next few months|coming weeks] would show whether the "
    "[cooperation|partnership] is a [temporary|short-term] arrangement or a lasting alliance.",
    "Ukraine has asked its allies to [respond|answer] with [tighter sanctions|more air "
    "defence] and [faster deliveries|new funding] before the [spring|end of the year].",
    "[Diplomats|Officials] in {west_city} said the issue would be raised at the next meeting "
    "of [G7 foreign ministers|NATO defence ministers|the UN Security Council].",
)
WEST_CITIES = ("Brussels", "Washington", "London", "Tokyo", "Berlin", "Paris")
UA_BODIES = (
    "HUR",
    "Ukraine's General Staff",
    "Ukraine's defence ministry",
    "Ukraine's foreign ministry",
)
