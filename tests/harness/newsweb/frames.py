"""On-topic story frames: what a story is about, with its headline and paragraph templates.

Every on-topic frame mentions both North Korea and Russia/Ukraine; the off-topic
frames (the near misses) are in near_misses.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tests.harness.newsweb.frame_variants import EXTRA_DETAILS, EXTRA_HEADLINES


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


def extended(
    frame: Frame, details: dict[str, tuple[str, ...]], headlines: dict[str, tuple[str, ...]]
) -> Frame:
    """`frame` with the extra sentences and headlines listed for its kind."""
    return replace(
        frame,
        details=frame.details + details.get(frame.kind, ()),
        headlines=frame.headlines + headlines.get(frame.kind, ()),
    )


ON_TOPIC = tuple(extended(f, EXTRA_DETAILS, EXTRA_HEADLINES) for f in ON_TOPIC)
