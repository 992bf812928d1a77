"""More headlines and sentences per on-topic frame kind (frames.py extends its frames with them)."""

from __future__ import annotations

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
}
