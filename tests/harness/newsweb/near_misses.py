"""Off-topic story frames, the near misses: each mentions at most one side of the topic query.

A Russia-only energy story, Ukrainian grain, a Koreatown restaurant serving
Pyongyang-style noodles, South Korean chips, a North Korea-only missile test and
a city tram story: a topic matcher must drop every one of them.
"""

from __future__ import annotations

from tests.harness.newsweb.frames import Frame, extended

OFF_TOPIC: tuple[Frame, ...] = (
    Frame(
        kind="energy",
        on_topic=False,
        section="energy",
        tags=("russia", "energy", "gas"),
        headlines=(
            "Russia's [gas|oil] exports to [Asia|China] [rise|climb] as Europe [cuts|shuns] "
            "supplies",
            "Kremlin [pushes|presses] new [pipeline|gas] deal with [Beijing|China]",
            "Russian [oil|fuel] revenues [fall|slip] as [prices|discounts] [widen|deepen]",
        ),
        ledes=(
            "Russia's [pipeline gas|oil] exports to [China|Asia] [rose|climbed] {pct} per cent "
            "in {month}, [energy ministry|customs] data showed on {weekday}, as Moscow "
            "[looks|turns] east for buyers.",
            "The Kremlin is [pressing|pushing] Beijing to [sign|finalise] a long-delayed "
            "[pipeline|gas] deal, [officials|sources] in Moscow said on {weekday}.",
        ),
        details=(
            "The [Power of Siberia 2|proposed] pipeline would [carry|ship] up to 50 billion "
            "cubic metres of gas a year [across|through] Mongolia.",
            "[Refinery|Export] [volumes|flows] [fell|dropped] after [drone|maintenance] "
            "[outages|shutdowns] at [three|several] plants on the Volga.",
            "{ru_first} {ru_last}, an energy analyst in Moscow, said [Chinese|Asian] buyers "
            "were [demanding|securing] [steep|deep] discounts.",
            "[Tanker|Shipping] rates for Russian crude [eased|rose] [this month|last week] "
            "as [more|fewer] vessels [joined|left] the trade.",
        ),
        claims=(
            "the eastern market cannot replace Europe overnight",
            "Beijing is in no hurry and everyone knows it",
            "prices will decide this, not politics",
        ),
        context=(
            "Europe [bought|imported] about 40 per cent of its gas from Russia before 2022.",
            "[Gazprom|The state gas company] [reported|posted] its first annual loss in "
            "[decades|more than 20 years] in 2024.",
        ),
    ),
    Frame(
        kind="grain",
        on_topic=False,
        section="economy",
        tags=("ukraine", "grain", "shipping"),
        headlines=(
            "Ukraine's grain exports [hold|stay] steady [despite|amid] port [attacks|strikes]",
            "Odesa ports [ship|load] record [corn|wheat] volumes",
        ),
        ledes=(
            "Ukraine exported {n_grain} million tonnes of grain in {month}, the agriculture "
            "ministry said on {weekday}, [as|while] ships kept [using|sailing] its Black Sea "
            "corridor.",
            "[Farmers|Traders] in Ukraine expect [a strong|a larger] [corn|wheat] harvest "
            "this year, [helped by|thanks to] [rain|mild weather] in the south.",
        ),
        details=(
            "[Most|Much] of the grain [went|was shipped] to [Egypt|Spain|Turkey|China] "
            "[through|via] the ports of Odesa, Chornomorsk and Pivdennyi.",
            "[Insurance|Freight] costs for [ships|vessels] [calling at|visiting] Ukrainian "
            "ports have [fallen|dropped] [since the spring|this year].",
            "{ua_first} {ua_last}, [head|director] of a [grain traders'|farmers'] "
            "association, said [logistics|storage] remained the main [problem|worry].",
        ),
        claims=(
            "the corridor works and buyers trust it again",
            "our farmers have learned to plant under fire",
            "storage, not demand, is what keeps me awake",
        ),
        context=(
            "Ukraine [was|is] one of the world's [largest|biggest] exporters of [wheat, "
            "corn|corn and sunflower oil].",
        ),
    ),
    Frame(
        kind="restaurant",
        on_topic=False,
        section="food",
        tags=("food", "koreatown", "restaurants"),
        headlines=(
            "[Koreatown's|A Koreatown] [newest|favourite] noodle bar [bets|builds] on "
            "Pyongyang-style naengmyeon",
            "[Review|Dining]: cold noodles [worth queuing for|that justify the wait] in Koreatown",
        ),
        ledes=(
            "The queue outside {restaurant} in Koreatown starts [before|long before] "
            "[noon|the doors open], and [most|nearly all] of it is for one dish: "
            "Pyongyang-style cold noodles.",
            "{restaurant}, which opened in Koreatown in {month}, [has become|is already] one "
            "of the [busiest|most talked-about] tables in the [city|neighbourhood].",
        ),
        details=(
            "The broth is [beef|a clear beef and radish stock], [chilled|served ice-cold], "
            "and the buckwheat noodles are [cut|pressed] to order.",
            "Chef {kr_first} {kr_last} [learned|picked up] the recipe from [her "
            "grandmother|his grandfather], who [ran|kept] a noodle shop in Seoul for [decades|"
            "forty years].",
            "[Side dishes|Banchan] [rotate|change] [weekly|with the season], and the mung bean "
            "pancakes are [crisp|crunchy] at the edges.",
            "A [bowl|portion] [costs|is] {price} dollars, [which|and that] [includes|comes "
            "with] a [refill|second helping] of broth.",
        ),
        claims=(
            "cold noodles are a winter dish where my family comes from",
            "people come for the broth and stay for the pancakes",
            "we make everything by hand, every morning",
        ),
        context=(
            "Koreatown has [added|seen] [a dozen|more than ten] new restaurants [in the past "
            "year|since last spring].",
        ),
    ),
    Frame(
        kind="seoul_tech",
        on_topic=False,
        section="business",
        tags=("south-korea", "chips", "technology"),
        headlines=(
            "South Korea's chip exports [jump|surge] on [AI|data centre] demand",
            "Seoul [unveils|announces] [subsidies|support] for [chipmakers|battery makers]",
        ),
        ledes=(
            "South Korea's [semiconductor|chip] exports rose {pct} per cent [in {month}|last "
            "month], trade ministry data showed on {weekday}, [driven|lifted] by demand for "
            "[AI servers|memory chips].",
            "The South Korean government [announced|unveiled] a [package|programme] of "
            "[tax breaks|subsidies] for [chipmakers|battery makers] on {weekday}.",
        ),
        details=(
            "[Samsung Electronics|SK Hynix] [shares|stock] [rose|gained] [2|3] per cent in "
            "Seoul after the data [were released|came out].",
            "[Economists|Analysts] said [exports|shipments] to [the United States|Taiwan] "
            "[grew|rose] fastest, while [China|Europe] [lagged|slowed].",
            "{kr_first} {kr_last}, an economist at [a Seoul brokerage|Yonsei University], said "
            "the [boom|rally] [could|might] last [into next year|several quarters].",
        ),
        claims=(
            "memory prices are the whole story this year",
            "the government wants to keep factories at home",
            "demand from data centres is not slowing down",
        ),
        context=("Chips [account for|make up] about a fifth of South Korea's exports.",),
    ),
    Frame(
        kind="nk_only",
        on_topic=False,
        section="asia",
        tags=("north-korea", "missiles", "japan"),
        headlines=(
            "North Korea [fires|launches] [ballistic missile|missiles] into [the sea|the Sea "
            "of Japan]",
            "Pyongyang [tests|shows off] [new|upgraded] [rocket launcher|cruise missile]",
        ),
        ledes=(
            "North Korea fired [a ballistic missile|two short-range missiles] off its east "
            "coast on {weekday}, South Korea's Joint Chiefs of Staff said.",
            "Kim Jong Un [oversaw|watched] a test of a [new|upgraded] [cruise "
            "missile|multiple rocket launcher] on {weekday}, state media reported.",
        ),
        details=(
            "The missile flew about [350|600] kilometres before [landing|falling] outside "
            "Japan's exclusive economic zone, Tokyo said.",
            "[Japan|South Korea] [lodged|filed] a protest [through diplomatic "
            "channels|via its embassy in Beijing].",
            "{kr_first} {kr_last}, {kr_role}, said the test was [probably|likely] [timed|"
            "meant] to [coincide with|answer] joint drills by Seoul and Washington.",
        ),
        claims=(
            "the timing is a message to Seoul and Washington",
            "each test teaches Pyongyang something new",
            "we are watching every launch closely",
        ),
        context=(
            "North Korea has [launched|tested] [dozens of|more than 20] missiles "
            "[this year|since January].",
        ),
    ),
    Frame(
        kind="city",
        on_topic=False,
        section="city",
        tags=("city", "transport"),
        headlines=(
            "City council [approves|backs] [new|extended] [tram|bus] line",
            "[Storm|Heavy rain] [floods|shuts] [streets|underpasses] across the city",
        ),
        ledes=(
            "The city council [voted|decided] on {weekday} to [extend|build] the "
            "[tram|bus rapid transit] line to the [eastern|northern] districts at a cost of "
            "{price} million dollars.",
            "[Heavy rain|A storm] [flooded|closed] [dozens of|several] streets and "
            "underpasses on {weekday}, [snarling|disrupting] the evening [commute|rush hour].",
        ),
        details=(
            "[Construction|Work] is [due|expected] to [start|begin] next [spring|year] and take "
            "about [three|four] years.",
            "[Residents|Shop owners] along the route [welcomed|questioned] the plan at a "
            "[packed|long] public hearing.",
            "{west_first} {west_last}, a council member, said the [line|project] would "
            "[cut|shorten] commutes by [twenty|fifteen] minutes.",
        ),
        claims=(
            "this is the most important transport decision in a decade",
            "people in the east of the city have waited long enough",
            "we cannot keep building roads and hope for the best",
        ),
        context=(
            "The city's population has [grown|increased] by [a tenth|ten per cent] "
            "[since 2015|in ten years].",
        ),
    ),
)

RESTAURANTS = (
    "Okryu House",
    "Moranbong Noodle Bar",
    "Naengmyeon Club",
    "Daedong Kitchen",
    "Cold Noodle Society",
    "Bukchon Table",
)

# More sentences per frame, kept apart from the tables above so those stay readable:
# the more a frame can say, the less two of its stories share.
OFF_TOPIC_DETAILS: dict[str, tuple[str, ...]] = {
    "energy": (
        "[Budget|Federal] [revenue|income] from [oil and gas|energy] [fell|dropped] [to|towards] "
        "its lowest [level|point] since [2020|the pandemic], the finance ministry [said|reported].",
        "[Traders|Brokers] in [Singapore|Dubai] said [Indian|Turkish] refiners [bought|took] "
        "[more|fewer] [cargoes|Urals barrels] in {month}.",
        "[Arctic LNG 2|The Yamal project] [shipped|loaded] [its first|another] cargo [despite|"
        "in spite of] Western sanctions on the [tankers|ships] involved.",
    ),
    "grain": (
        "[Prices|Export prices] for [wheat|corn] [from Ukraine|at Black Sea ports] [rose|edged up] "
        "to {price}0 dollars a tonne, [traders|analysts] said.",
        "[Rail|Road] [deliveries|transport] to the Danube ports of Izmail and Reni [picked up|"
        "recovered] after [repairs|strikes] in {month}.",
    ),
    "restaurant": (
        "[Reservations|Bookings] [open|are released] [every Monday|once a week] and [fill|are "
        "gone] within [minutes|the hour], [staff|a manager] said.",
        "The [dining room|room] [seats|holds] {n_killed} [at pale wooden tables|along a long "
        "counter], and the [walls|shelves] are [lined|decorated] with [earthenware|jars of "
        "kimchi].",
        "[Desserts|The dessert menu] [is short|runs to three items]: [a persimmon sorbet|"
        "sweet rice cakes] and [barley tea|a ginger punch].",
    ),
    "seoul_tech": (
        "[Battery|Display] makers [lagged|trailed] the [rally|gains], [weighed down|held back] "
        "by [weak|slowing] [electric vehicle|smartphone] [demand|sales] in {month}.",
        "The [won|Korean currency] [firmed|strengthened] [slightly|a little] against the dollar "
        "after the [figures|numbers] were [published|released].",
    ),
    "nk_only": (
        "[Japan's|Tokyo's] defence ministry said [no damage|no injuries] [was|were] reported to "
        "[ships|aircraft] in the area.",
        "The [launch|test] was the {n_killed}th of the year, [according to|by] [a count|a tally] "
        "kept by [South Korean|Japanese] [media|officials].",
    ),
    "city": (
        "[Traffic|Road] [engineers|planners] [expect|predict] [delays|diversions] on [Harbour "
        "Road|Station Street|Mill Lane] [during|throughout] the [works|construction].",
        "[The mayor|A city spokesperson] said [drainage|sewer] [upgrades|repairs] [would|will] "
        "[cost|need] about {price} million dollars over [five|ten] years.",
    ),
}
# More headlines with facts in them, so that titles rarely repeat in big worlds.
OFF_TOPIC_HEADLINES: dict[str, tuple[str, ...]] = {
    "energy": (
        "Russian [gas|oil] [shipments|exports] to [China|Asia] [up|rise] {pct} per cent in {month}",
        "{ru_first} {ru_last}: Asian buyers [demand|win] [steeper|deeper] discounts on Russian "
        "[crude|oil]",
    ),
    "grain": (
        "Ukraine [ships|exports] {n_grain} million tonnes of grain in {month}",
        "[Grain|Corn] [traders|farmers] in Ukraine [worry|fret] about [storage|logistics], says "
        "{ua_last}",
    ),
    "restaurant": (
        "{restaurant}: [the|a] Koreatown [table|noodle bar] [everyone|the city] [talks|is "
        "talking] about",
        "[Chef|Cook] {kr_first} {kr_first} [brings|serves] [her|his] family's cold noodles to "
        "Koreatown",
    ),
    "seoul_tech": (
        "South Korean chip exports [rise|climb] {pct} per cent in {month}",
        "[Seoul|South Korea] [offers|unveils] [tax breaks|subsidies] as {kr_first} [warns|says] "
        "boom [may|could] last",
    ),
    "nk_only": (
        "North Korea [launches|fires] missile on {weekday}; [Tokyo|Seoul] [protests|lodges "
        "protest]",
        "Kim Jong Un [watches|oversees] [weapons|missile] test, {kr_body} says",
    ),
    "city": (
        "Council [backs|approves] {price} million dollar [tram|transit] [extension|plan]",
        "[Flooded|Closed] underpasses [snarl|disrupt] {weekday} [commute|traffic]",
    ),
}

OFF_TOPIC = tuple(extended(f, OFF_TOPIC_DETAILS, OFF_TOPIC_HEADLINES) for f in OFF_TOPIC)
