"""Story frames: what a generated story is about, with its headline and paragraph templates.

On-topic frames mention both North Korea and Russia/Ukraine; off-topic frames
mention at most one side of the default topic query (the near misses).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Frame:
    kind: str
    on_topic: bool
    section: str
    tags: tuple[str, ...]
    headlines: tuple[str, ...]
    ledes: tuple[str, ...]
    details: tuple[str, ...]
    claims: tuple[str, ...]  # lower-case quote bodies, completed by phrases.QUOTE_*
    context: tuple[str, ...] = ()  # off-topic frames bring their own background


ON_TOPIC: tuple[Frame, ...] = (
    Frame(
        kind="troops",
        on_topic=True,
        section="war",
        tags=("north-korea", "russia", "ukraine", "troops"),
        headlines=(
            "[New|Fresh] North Korean [contingent|troops] [arrive|deployed] in {front}, "
            "Ukraine [says|warns]",
            "Ukraine says {n_troops} more North Korean soldiers [sent|moved] to {front}",
            "North Korea [rotates|reinforces] troops fighting for Russia in {front}",
            "[Kyiv|Ukraine]: Pyongyang's soldiers now [hold|man] positions in {front}",
        ),
        ledes=(
            "About {n_troops} North Korean soldiers have arrived in {front} [in the past "
            "month|since early {month}|over recent weeks] to [reinforce|replace] units fighting "
            "for Russia, {ua_body} said on {weekday}.",
            "North Korea has [sent|deployed] a [new|fresh] contingent of roughly {n_troops} "
            "troops to Russia's {front_short}, according to Ukrainian intelligence "
            "[assessments|estimates] released on {weekday}.",
        ),
        details=(
            "The [soldiers|troops] [were flown|travelled by rail] from {nk_site} to "
            "{ru_site} before [moving|being bused] to the front, the [agency|assessment] said.",
            "[Some|Several] of the [units|men] had [already served|fought before] in "
            "{front_short} and were returning after [a short|several weeks of] [rest|retraining].",
            "Ukrainian commanders say the newcomers are [better equipped|better trained] than "
            "the first wave and operate [in small assault groups|alongside Russian drone teams].",
            "Intercepted radio traffic [suggests|indicates] that Korean-speaking "
            "[officers|interpreters] now [coordinate|direct] fire from {weapon_short} [batteries|"
            "positions] near the border.",
            "{ua_first} {ua_last}, {ua_role}, said the [total|overall] number of North Korean "
            "personnel in Russia had [reached|passed] {n_troops_total}.",
        ),
        claims=(
            "the North Korean units are no longer a sideshow on this front",
            "Pyongyang is replacing its losses faster than we expected",
            "these soldiers are learning quickly and Moscow is teaching them",
        ),
    ),
    Frame(
        kind="shells",
        on_topic=True,
        section="war",
        tags=("north-korea", "russia", "ammunition"),
        headlines=(
            "North Korea [shipped|sent] {n_containers} containers of [munitions|ammunition] to "
            "Russia, [report|study] says",
            "Satellite images show [surge|spike] in North Korean arms [shipments|trains] to Russia",
            "Pyongyang's shells [account for|make up] {pct} per cent of Russia's ammunition, "
            "Ukraine says",
        ),
        ledes=(
            "North Korea has [sent|shipped] at least {n_containers} containers of "
            "[ammunition|munitions] to Russia [since the summer|this year], {analyst_org} "
            "said in a report published on {weekday}.",
            "[Shells|Ammunition] made in North Korea now [account for|make up] about {pct} per "
            "cent of the artillery rounds Russia fires at Ukrainian positions, {ua_body} said "
            "on {weekday}.",
        ),
        details=(
            "Commercial satellite [images|imagery] show [cargo ships|rail wagons] loading at "
            "{nk_site} and unloading at {ru_site} [every few days|several times a week].",
            "The report counts {n_shells} million [rounds|shells] of 122mm and 152mm calibre, "
            "as well as [rockets|mortar bombs] for multiple launch systems.",
            "Ukrainian gunners say [the quality|reliability] of the North Korean shells has "
            "[improved|got better], with fewer [duds|misfires] than in [2024|the first "
            "deliveries].",
            "{analyst_first} {analyst_last} of {analyst_org} said the [volume|scale] of "
            "deliveries [showed|suggested] that North Korean [factories|plants] were running "
            "[around the clock|at full capacity].",
            "Investigators [traced|identified] markings on [fragments|casings] recovered near "
            "{ua_city} to a plant [in Jagang province|near Kanggye].",
        ),
        claims=(
            "without these shells Russia would have had to ration its artillery",
            "North Korean ammunition is keeping Russian guns firing every day",
            "the trains from the border have not stopped once this year",
        ),
    ),
    Frame(
        kind="missiles",
        on_topic=True,
        section="war",
        tags=("north-korea", "missiles", "ukraine"),
        headlines=(
            "North Korean missile [used|fired] in [deadly|overnight] strike on {ua_city}, "
            "Ukraine says",
            "[Debris|Fragments] in {ua_city} point to North Korean {weapon_short}",
            "Russia [fires|launches] North Korean missiles at {ua_city} [again|as attacks "
            "intensify]",
        ),
        ledes=(
            "A missile that struck {ua_city} on {weekday}, [killing|wounding] {n_killed} "
            "people, was a North Korean-made {weapon_one}, Ukrainian prosecutors said.",
            "Russia fired [two|three|several] North Korean {weapon} at {ua_city} overnight, "
            "Ukraine's air force said on {weekday}, [damaging|hitting] [homes|an "
            "apartment block|a power plant].",
        ),
        details=(
            "[Investigators|Experts] found [components|parts] with Korean-language markings "
            "and a serial number [dated|stamped] {nk_year}.",
            "The {weapon_short} has a range of [several hundred|about 700] kilometres and "
            "is [hard|difficult] for air defences to intercept, [officials|engineers] said.",
            "Rescue workers [searched the rubble|worked through the night] in {ua_city}, where "
            "[a school|a hospital|dozens of homes] [was|were] [damaged|destroyed].",
            "Earlier North Korean missiles [often|frequently] [missed|veered off] their "
            "targets, but recent strikes have been [far more accurate|more precise], "
            "{ua_first} {ua_last}, {ua_role}, said.",
            "Ukraine's prosecutor general's office opened a [war crimes|criminal] "
            "investigation into the strike.",
        ),
        claims=(
            "every missile that Pyongyang sends ends up falling on our cities",
            "the accuracy of these missiles has improved with every launch",
            "Russia is testing North Korean weapons on Ukrainian civilians",
        ),
    ),
    Frame(
        kind="prisoners",
        on_topic=True,
        section="war",
        tags=("north-korea", "prisoners-of-war"),
        headlines=(
            "Captured North Korean soldier [asks|pleads] not to be sent home",
            "Ukraine [holds|captures] [two|more] North Korean soldiers in {front}",
            "North Korean prisoners [describe|tell of] training in Russia",
        ),
        ledes=(
            "A North Korean soldier captured by Ukrainian forces in {front} told "
            "[interrogators|journalists] on {weekday} that he [did not want|was afraid] to be "
            "returned to Pyongyang.",
            "Ukrainian special forces [captured|took prisoner] [two|three] North Korean "
            "soldiers during fighting in {front}, {ua_body} said on {weekday}.",
        ),
        details=(
            "The [prisoner|man], [aged|who said he was] {age}, said he had been told he was "
            "going to Russia for [training|an exercise] and only learned of the war "
            "[at the front|on arrival].",
            "He said his unit [had little food|received no maps] and that officers "
            "[forbade|banned] contact with Russian soldiers.",
            "Ukraine has [offered|proposed] to exchange North Korean prisoners for Ukrainians "
            "held in Russia, but Moscow has [not replied|refused].",
            "Seoul has said it would accept any North Korean prisoner who [wishes|asks] to go "
            "to South Korea, {kr_first} {kr_last}, {kr_role}, said.",
            "The [soldiers|men] were treated [in a hospital|by medics] [for wounds|for "
            "injuries] and are held [at a camp|in a facility] in western Ukraine.",
        ),
        claims=(
            "these men are victims as well as soldiers",
            "returning them to Pyongyang would mean certain punishment",
            "they did not even know which country they were fighting",
        ),
    ),
    Frame(
        kind="workers",
        on_topic=True,
        section="economy",
        tags=("north-korea", "russia", "labour"),
        headlines=(
            "Thousands of North Korean workers [sent|arrive] to Russian [factories|building sites]",
            "North Korean labourers [build|assemble] drones in Russia, [report|intelligence] says",
            "Russia [turns|looks] to North Korean workers as war drains labour",
        ),
        ledes=(
            "About {n_workers} North Korean workers have arrived in Russia [this year|since "
            "{month}] to work on [building sites|factory lines], {kr_body} told lawmakers on "
            "{weekday}.",
            "North Korean labourers are [working|employed] at a Russian drone factory in "
            "[Alabuga|Tatarstan], [according to|citing] documents [seen|obtained] by "
            "{analyst_org}.",
        ),
        details=(
            "The workers [enter|arrive in] Russia on student or [trainee|tourist] visas to "
            "[avoid|get around] UN sanctions that ban North Korean labour abroad.",
            "Most of their wages are [sent|paid] directly to the North Korean state, "
            "[researchers|analysts] say, [earning|bringing] Pyongyang [millions|tens of "
            "millions] of dollars.",
            "Russia's [construction|manufacturing] sector is short of [hundreds of "
            "thousands|many thousands] of workers after [mobilisation|the war] pulled men into "
            "the army.",
            "{analyst_first} {analyst_last} of {analyst_org} said [the arrangement|the "
            "scheme] [showed|revealed] how [deep|far] the economic ties [had grown|now went].",
        ),
        claims=(
            "the labour deal is the quiet part of this alliance",
            "every worker sent abroad is a source of hard currency for Pyongyang",
            "Russia needs hands and North Korea needs money",
        ),
    ),
    Frame(
        kind="technology",
        on_topic=True,
        section="diplomacy",
        tags=("north-korea", "russia", "technology"),
        headlines=(
            "Russia [helping|helps] North Korea with [satellite|submarine|air defence] "
            "technology, Seoul says",
            "What North Korea gets in return for [troops|shells] sent to Russia",
            "[Seoul|South Korea] warns of Russian [tech|technology] transfers to Pyongyang",
        ),
        ledes=(
            "Russia has [begun|started] sharing [satellite|air defence|submarine] technology "
            "with North Korea in return for troops and [ammunition|shells] sent for its war "
            "against Ukraine, {kr_body} said on {weekday}.",
            "North Korea is [receiving|getting] Russian [help|assistance] with [its space "
            "programme|air defences|nuclear submarines], [officials|intelligence officials] in "
            "Seoul [say|believe].",
        ),
        details=(
            "Russian [engineers|specialists] have [visited|been seen at] {nk_site} "
            "[several times|repeatedly] [this year|since the spring], the [agency|officials] "
            "said.",
            "{kr_first} {kr_last}, {kr_role}, said Pyongyang had [received|obtained] "
            "[air defence systems|electronic warfare equipment] to protect its capital.",
            "Analysts [warn|say] that [such|the] transfers could [help|allow] North Korea to "
            "[improve|refine] the [guidance|accuracy] of its [long-range|ballistic] missiles.",
            "[Moscow|The Kremlin] has [denied|not confirmed] any transfer of military "
            "technology, saying cooperation [follows|respects] international law.",
        ),
        claims=(
            "this is the price Moscow is paying for North Korean help",
            "the technology flowing to Pyongyang will outlast the war in Ukraine",
            "what North Korea learns in Russia will change the balance in Asia",
        ),
    ),
    Frame(
        kind="diplomacy",
        on_topic=True,
        section="diplomacy",
        tags=("north-korea", "russia", "diplomacy"),
        headlines=(
            "[Russian|Kremlin] [envoy|delegation] in Pyongyang [praises|hails] 'brotherly' ties",
            "Kim Jong Un [hosts|meets] Russian [minister|officials], [vows|pledges] support on "
            "Ukraine",
            "North Korea and Russia [mark|celebrate] treaty anniversary with [new|fresh] deals",
        ),
        ledes=(
            "Kim Jong Un [met|received] a Russian delegation led by {ru_first} {ru_last}, "
            "[a deputy prime minister|a senior security official], in Pyongyang on {weekday}, "
            "state media reported.",
            "A Russian [delegation|parliamentary delegation] arrived in Pyongyang on {weekday} "
            "for talks on [trade|military cooperation|transport links], [days|weeks] after "
            "{event}.",
        ),
        details=(
            "North Korea's KCNA news agency said the two sides [discussed|agreed on] "
            "[expanding|deepening] cooperation [in all fields|in defence and trade].",
            "Kim [pledged|promised] to [support|back] Russia's war in Ukraine '[to the "
            "end|unconditionally]', according to the [state media|KCNA] account.",
            "The visit [follows|comes after] the opening of a [road bridge|new rail link] "
            "across the Tumen river [that|which] will [speed up|ease] trade.",
            "{west_role_cap} said the meetings [showed|proved] that Moscow [depended|relied] "
            "on Pyongyang [more than ever|for its war].",
        ),
        claims=(
            "the ceremonies hide a very practical bargain",
            "Moscow needs Pyongyang more than Pyongyang needs Moscow",
            "this friendship is built on shells and soldiers",
        ),
    ),
    Frame(
        kind="sanctions",
        on_topic=True,
        section="politics",
        tags=("north-korea", "russia", "sanctions"),
        headlines=(
            "[EU|US|Japan|Britain] [sanctions|targets] firms [shipping|moving] North Korean "
            "arms to Russia",
            "New sanctions [hit|target] [ships|banks|traders] linked to Pyongyang-Moscow "
            "[arms trade|deals]",
        ),
        ledes=(
            "[The European Union|The United States|Britain|Japan] [imposed|announced] "
            "sanctions on {n_entities} [companies|entities] and [ships|vessels] accused of "
            "[moving|shipping] North Korean weapons to Russia, officials said on {weekday}.",
            "[Several|A group of] [shipping firms|banks|trading companies] that helped move "
            "North Korean [munitions|missiles] to Russia were [hit with|placed under] "
            "sanctions on {weekday}.",
        ),
        details=(
            "The [list|package] includes [cargo ships|vessels] that [sailed|travelled] "
            "between {nk_site} and {ru_site} with their [transponders|tracking systems] "
            "switched off.",
            "[Officials|Investigators] said the firms [used|relied on] front companies in "
            "[Hong Kong|the United Arab Emirates|Central Asia] to [hide|disguise] payments.",
            "{west_role_cap} said the [measures|sanctions] [were meant|aimed] to '[raise the "
            "cost|make it harder]' for Moscow and Pyongyang to [trade|deal] in weapons.",
            "Critics [argue|say] that sanctions [alone|on their own] have done little to "
            "[slow|stop] the [flow|traffic] of arms [across the border|between the two].",
        ),
        claims=(
            "sanctions only work if everyone enforces them",
            "these companies knew exactly what they were carrying",
            "we will keep adding names to the list until the shipments stop",
        ),
    ),
    Frame(
        kind="casualties",
        on_topic=True,
        section="war",
        tags=("north-korea", "casualties"),
        headlines=(
            "North Korean [losses|casualties] in Russia's war [pass|top] {n_casualties}, "
            "[Seoul|Kyiv] says",
            "[Heavy|Mounting] losses [among|for] North Korean troops in {front}",
        ),
        ledes=(
            "About {n_casualties} North Korean soldiers have been killed or wounded fighting "
            "for Russia [since the deployment began|in {front}], {kr_body} said on {weekday}.",
            "North Korean units [suffered|took] heavy losses in [fighting|assaults] near "
            "{front} [this month|last week], according to Ukrainian [officials|commanders].",
        ),
        details=(
            "[Commanders|Soldiers] described [waves|lines] of North Korean infantry "
            "[advancing|moving] across open fields [under|despite] drone [attacks|fire].",
            "The [estimate|figure] [could not be|was not] independently [verified|confirmed], "
            "and neither Moscow nor Pyongyang has [published|released] casualty figures.",
            "{kr_first} {kr_last}, {kr_role}, said [the bodies of|remains of] some soldiers "
            "had been [cremated|buried] in Russia [to hide|to conceal] the losses.",
            "[Analysts|Observers] say the losses [have not|do not appear to have] "
            "[changed|altered] Kim Jong Un's [commitment|support] to Moscow.",
        ),
        claims=(
            "North Korea treats its soldiers as an export commodity",
            "the casualty numbers are far higher than Pyongyang admits",
            "families in North Korea are being told nothing",
        ),
    ),
)

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
EXTRA_DETAILS: dict[str, tuple[str, ...]] = {
    "troops": (
        "Villagers near {front_short} [told|described to] local [media|reporters] how "
        "[convoys|columns of trucks] [passed|drove] through at night with [covered|tarpaulined] "
        "[loads|trailers].",
        "The [new arrivals|latest units] [include|are said to include] [engineers|sappers] and "
        "[drone operators|artillery spotters], {ua_first} {ua_last} [added|said].",
    ),
    "shells": (
        "A [freight|cargo] train [photographed|filmed] at {ru_site} on {weekday} [carried|hauled] "
        "[about|at least] {n_entities} [wagons|flatcars] of [crates|sealed containers].",
        "Russian [officers|logisticians] [complain|have complained] in [online|Telegram] "
        "posts that [some batches|older lots] [arrive|arrived] [damp|rusted] and "
        "[unusable|need sorting].",
    ),
    "missiles": (
        "[Air defence|Ukraine's air force] [shot down|intercepted] [most|part] of the [drones|"
        "cruise missiles] [launched|fired] in the same [attack|wave], {ua_body} said.",
        "Residents of {ua_city} [spent|passed] [the night|hours] in [metro stations|shelters] "
        "as [sirens|air raid alerts] [sounded|rang out] [across the region|for hours].",
    ),
    "prisoners": (
        "[Video|Footage] [released|published] by {ua_body} [showed|shows] the [men|prisoners] "
        "[eating|speaking through an interpreter] [in a small room|at a table].",
        "Human rights [groups|lawyers] [urged|asked] Kyiv to [protect|shield] the [prisoners'|"
        "men's] [identities|faces] to [spare|protect] their families in North Korea.",
    ),
    "workers": (
        "[Recruiters|Agents] in {ru_site} [advertise|offer] [dormitory beds|housing] and "
        "[meals|food] but [keep|hold] the workers' passports, {analyst_last} said.",
        "[Construction|Building] firms in [the Far East|Primorye] [report|say] that North "
        "Korean [crews|teams] now [make up|form] [a large share|most] of their [labour|workforce].",
    ),
    "technology": (
        "[Commercial|Satellite] [imagery|photos] [show|showed] [new|unfamiliar] [radar|antenna] "
        "[arrays|installations] near {nk_site} [this autumn|since the summer].",
        "{analyst_first} {analyst_last} of {analyst_org} [said|cautioned] that "
        "[proof|hard evidence] of [specific|individual] transfers [remained|was still] "
        "[thin|scarce].",
    ),
    "diplomacy": (
        "[Guards of honour|Crowds waving flags] [lined|greeted] the [motorcade|delegation] "
        "[on its way|as it drove] into Pyongyang, [footage|pictures] on state television showed.",
        "The two sides [signed|initialled] [agreements|memorandums] on [tourism|health care|"
        "education] and [fisheries|air links], [according to|citing] {ru_first} {ru_last}.",
    ),
    "sanctions": (
        "[Among|On] the list is a [tanker|cargo vessel] [registered|flagged] in [Sierra Leone|"
        "Cameroon|Palau] that [made|completed] {n_entities} [port calls|voyages] [this year|"
        "since the spring].",
        "[Treasury|Finance ministry] officials said [payments|transfers] [moved|were routed] "
        "through [rouble|yuan] accounts at [small|regional] banks.",
    ),
    "casualties": (
        "[Medics|Field doctors] [near|behind] the front [described|reported] [treating|seeing] "
        "[wounded|injured] North Korean soldiers who [spoke no Russian|carried no papers].",
        "[Families|Relatives] in North Korea [receive|have received] [no notice|little word] "
        "[of|about] the [dead|fallen], [defectors|people in contact with the North] say.",
    ),
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
EXTRA_HEADLINES: dict[str, tuple[str, ...]] = {
    "troops": (
        "{ua_first} {ua_last}: North Korean [personnel|troops] in Russia [now number|pass] "
        "{n_troops_total}",
        "North Korean soldiers [seen|spotted] [moving|heading] from {ru_site} to {front_short}",
        "[Korean-speaking|North Korean] units [direct|coordinate] [fire|shelling] near "
        "{front_short}, [intercepts|radio intercepts] [show|suggest]",
    ),
    "shells": (
        "{n_shells} million North Korean shells [reached|delivered to] Russia, {analyst_org} "
        "[estimates|says]",
        "[Arms trains|Munitions trains] [leave|roll out of] {nk_site} for Russia [every few "
        "days|several times a week]",
        "Shell [fragments|casings] near {ua_city} [traced|linked] to North Korean [plant|factory]",
    ),
    "missiles": (
        "{weapon_one} [hit|struck] {ua_city} on {weekday}, [investigators|prosecutors] say",
        "{n_killed} [hurt|wounded] as North Korean-made missile [strikes|hits] {ua_city}",
        "Ukraine [finds|identifies] North Korean parts in missile [that hit|fired at] {ua_city}",
    ),
    "prisoners": (
        "North Korean [prisoner|POW], {age}, says he [learned of|discovered] the war only at "
        "the front",
        "Seoul [ready|offers] to take in North Korean POWs held by Ukraine, says {kr_first}",
        "Ukraine [proposes|offers] swap of North Korean prisoners captured in {front_short}",
    ),
    "workers": (
        "{n_workers} North Korean workers [arrive|sent] in Russia [since {month}|this year], "
        "[Seoul|lawmakers] told",
        "North Korean [crews|labourers] [fill|staff] Russian building sites, {analyst_org} "
        "[finds|says]",
    ),
    "technology": (
        "Russian [engineers|specialists] [seen|spotted] at {nk_site}, [Seoul|South Korea] says",
        "{kr_body} says Pyongyang [got|received] Russian [air defence|radar] [systems|gear]",
    ),
    "diplomacy": (
        "{ru_first} {ru_last} [arrives|lands] in Pyongyang [for talks|as ties deepen]",
        "Pyongyang and Moscow [sign|agree] [new|fresh] deals after {event}",
    ),
    "sanctions": (
        "{n_entities} [firms|ships and firms] [sanctioned|blacklisted] over North Korea-Russia "
        "arms [trade|shipments]",
        "[Ships|Vessels] [sailing|running] between {nk_site} and {ru_site} [hit|targeted] by "
        "sanctions",
    ),
    "casualties": (
        "{n_casualties} North Korean soldiers [killed or wounded|lost] in {front_short}, "
        "{kr_body} [says|estimates]",
        "[Bodies|Remains] of North Korean soldiers [cremated|buried] in Russia, [lawmaker|"
        "{kr_first}] says",
    ),
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


def _extended(frame: Frame) -> Frame:
    return replace(
        frame,
        details=frame.details + EXTRA_DETAILS.get(frame.kind, ()),
        headlines=frame.headlines + EXTRA_HEADLINES.get(frame.kind, ()),
    )


ON_TOPIC = tuple(_extended(f) for f in ON_TOPIC)
OFF_TOPIC = tuple(_extended(f) for f in OFF_TOPIC)
