"""Stories in Russian, Ukrainian, German, French and Arabic (inflected forms, clitics)."""

# Prose lines are kept whole.
# ruff: noqa: E501

from __future__ import annotations

from tests.harness.newsweb.multilingual.text import LangText, Republished

# Russian and Ukrainian: "Северная Корея"/"Північна Корея" only in oblique cases.
RUSSIAN = (
    LangText(
        id="ru-troops",
        language="ru",
        kind="troops",
        origin="polyglot",
        title="Солдаты Северной Кореи участвуют в боях в Курской области",
        paragraphs=(
            "Военнослужащие из Северной Кореи впервые приняли участие в боях против украинских подразделений в Курской области, сообщила в среду военная разведка Украины. По её данным, несколько тысяч солдат были переброшены к линии фронта в конце прошлой недели.",
            "В Киеве заявили, что подразделения Северной Кореи действуют вместе с российскими морскими пехотинцами и десантниками. Украинские военные утверждают, что перехватили радиопереговоры на корейском языке недалеко от села Плёхово.",
            "Москва и Пхеньян не подтверждают отправку войск. Однако летом стороны подписали договор о взаимной обороне, и западные правительства считают, что Северной Корее за помощь платят нефтью, деньгами и военными технологиями.",
            "Аналитики отмечают, что для армии Северной Кореи это первый крупный боевой опыт за несколько десятилетий, и предупреждают, что он может изменить баланс сил на Корейском полуострове.",
        ),
        # Eastern Courier's CMS marks every page lang="en": the hint is wrong.
        copies=(
            Republished(
                "eastern",
                "new_headline",
                "Разведка Украины: армия Северной Кореи вступила в бой под Курском",
            ),
        ),
        hours_ago=30,
    ),
    LangText(
        id="ru-captives",
        language="ru",
        kind="captives",
        origin="eastern",
        title="Под Суджей нашли документы военных из Северной Кореи",
        paragraphs=(
            "Украинские десантники показали журналистам документы, которые, по их словам, были найдены у погибших военнослужащих из Северной Кореи под Суджей. Среди бумаг оказались военные билеты, записные книжки и самодельный русско-корейский разговорник.",
            "Представитель командования заявил, что солдат Северной Кореи переодели в российскую форму и выдали им документы жителей Бурятии. Проверить эти сведения независимо пока не удалось.",
            "В Министерстве обороны России отказались от комментариев. Ранее Кремль называл сообщения о присутствии иностранных войск на своей территории провокацией и ложью.",
        ),
        hours_ago=22,
    ),
    LangText(
        id="ru-south-korea",
        language="ru",
        kind="near_miss",
        origin="eastern",
        title="Южная Корея увеличила экспорт полупроводников",
        paragraphs=(
            "Экспорт Южной Кореи в ноябре вырос на девять процентов благодаря высокому спросу на микросхемы памяти, сообщило министерство торговли в Сеуле. Основными покупателями стали Китай, США и Вьетнам.",
            "Производители Samsung и SK Hynix наращивают выпуск чипов для серверов искусственного интеллекта. Аналитики ожидают, что положительное сальдо торгового баланса Южной Кореи сохранится и в следующем году.",
            "Правительство в Сеуле также объявило о новых налоговых льготах для заводов, которые строятся к югу от столицы, и о программе подготовки инженеров для отрасли.",
        ),
        hours_ago=18,
    ),
)
UKRAINIAN = (
    LangText(
        id="uk-troops",
        language="uk",
        kind="troops",
        origin="polyglot",
        title="Військові Північної Кореї зазнали перших втрат на Курщині",
        paragraphs=(
            "Підрозділи Північної Кореї зазнали значних втрат у перших боях на Курщині, повідомило Головне управління розвідки Міністерства оборони України. За даними розвідки, загинули або були поранені понад двісті військовослужбовців.",
            "Українські бійці кажуть, що солдати з Північної Кореї наступають невеликими групами і погано орієнтуються на місцевості. Командири відзначають, що противник намагається компенсувати брак досвіду чисельністю.",
            "Президент України закликав союзників посилити тиск на Москву та Пхеньян. На його думку, відповідь світу на участь Північної Кореї у війні досі залишається надто слабкою.",
            "У Сеулі розвідка повідомила депутатам, що Пхеньян готує до відправки ще кілька тисяч військових.",
        ),
        copies=(
            Republished(
                "eastern",
                "light_edit",
                edits=(("значних втрат", "великих втрат"), ("понад двісті", "більше двохсот")),
            ),
        ),
        hours_ago=28,
    ),
    LangText(
        id="uk-south-korea",
        language="uk",
        kind="near_miss",
        origin="eastern",
        title="Південна Корея передасть українським лікарням генератори",
        paragraphs=(
            "Уряд Південної Кореї передасть українським лікарням понад сто генераторів та обладнання для опалення, повідомило посольство в Києві. Перша партія має прибути до кінця місяця.",
            "Допомогу фінансує агентство міжнародного співробітництва Південної Кореї. Генератори отримають лікарні в Харківській, Сумській та Чернігівській областях, які найчастіше залишаються без світла після обстрілів.",
            "Посол зазначив, що Сеул також розглядає участь своїх компаній у відновленні енергетичної інфраструктури після завершення війни.",
        ),
        hours_ago=16,
    ),
)
# German: "Nordkorea" only in the genitive ("Nordkoreas"); the near miss is the North Sea.
GERMAN = (
    LangText(
        id="de-troops",
        language="de",
        kind="troops",
        origin="polyglot",
        title="Soldaten Nordkoreas kämpfen erstmals in Kursk",
        paragraphs=(
            "Soldaten Nordkoreas haben nach Angaben des ukrainischen Militärgeheimdienstes erstmals an Gefechten in der russischen Region Kursk teilgenommen. Mehrere tausend Mann seien in der vergangenen Woche in die Nähe der Front verlegt worden, hieß es am Mittwoch in Kiew.",
            "Die Einheiten Nordkoreas kämpften gemeinsam mit russischen Marineinfanteristen und Fallschirmjägern, teilte die ukrainische Armee mit. Sie habe Funksprüche auf Koreanisch abgefangen.",
            "Moskau und Pjöngjang bestreiten die Entsendung. Beide Staaten hatten im Sommer einen Beistandspakt unterzeichnet. Westliche Regierungen gehen davon aus, dass die Führung Nordkoreas im Gegenzug Öl, Geld und Militärtechnik erhält.",
            "Fachleute in Seoul warnen, die Kampferfahrung könne die Armee des Landes deutlich gefährlicher machen.",
        ),
        copies=(
            Republished(
                "euro",
                "new_headline",
                "Kiew: Nordkoreas Truppen greifen in die Kämpfe um Kursk ein",
            ),
        ),
        hours_ago=26,
    ),
    LangText(
        id="de-nordsee",
        language="de",
        kind="near_miss",
        origin="euro",
        title="Sturmflut an der Nordsee: Fähren fallen aus",
        paragraphs=(
            "Ein schwerer Herbststurm hat an der Nordsee eine Sturmflut ausgelöst. Zwischen Cuxhaven und den Ostfriesischen Inseln fielen am Donnerstag zahlreiche Fährverbindungen aus, teilte das Bundesamt für Seeschifffahrt und Hydrographie mit.",
            "Der Wasserstand lag in Hamburg zeitweise mehr als zwei Meter über dem mittleren Hochwasser. Auf Sylt und Föhr wurden Strände gesperrt, auf dem Festland liefen Keller voll.",
            "Der Deutsche Wetterdienst erwartet, dass der Wind in der Nacht nachlässt. Die Reedereien wollen den Fährverkehr zu den Nordseeinseln am Freitagmorgen wieder aufnehmen.",
        ),
        hours_ago=14,
    ),
)
FRENCH = (
    LangText(
        id="fr-troops",
        language="fr",
        kind="troops",
        origin="polyglot",
        title="Des soldats nord-coréens engagés pour la première fois dans la région de Koursk",
        paragraphs=(
            "Des soldats de la Corée du Nord ont participé pour la première fois à des combats contre l'armée ukrainienne dans la région russe de Koursk, a annoncé mercredi le renseignement militaire ukrainien. Plusieurs milliers d'hommes auraient été déplacés vers la ligne de front la semaine dernière.",
            "Selon Kiev, les unités nord-coréennes combattent aux côtés de fusiliers marins et de parachutistes russes. L'armée ukrainienne affirme avoir intercepté des communications radio en coréen.",
            "Moscou et Pyongyang démentent tout déploiement. Les deux pays ont signé cet été un traité de défense mutuelle, et les capitales occidentales estiment que le régime reçoit en échange du pétrole, des devises et des technologies militaires.",
        ),
        copies=(
            Republished(
                "euro",
                "light_edit",
                edits=(
                    ("a annoncé mercredi", "a indiqué mercredi"),
                    ("Plusieurs milliers", "Quelques milliers"),
                ),
            ),
        ),
        hours_ago=24,
    ),
    LangText(
        id="fr-south-korea",
        language="fr",
        kind="near_miss",
        origin="euro",
        title="La Corée du Sud bat un record d'exportations de semi-conducteurs",
        paragraphs=(
            "Les exportations de semi-conducteurs de la Corée du Sud ont atteint un niveau record en novembre, portées par la demande de mémoires pour les serveurs d'intelligence artificielle, a indiqué le ministère du Commerce à Séoul.",
            "Samsung Electronics et SK Hynix augmentent leur production de mémoires à large bande passante, et le gouvernement sud-coréen élargit les avantages fiscaux accordés aux usines en construction au sud de la capitale.",
            "Les économistes estiment que les tensions commerciales entre les États-Unis et la Chine restent le principal risque pour les exportations l'an prochain.",
        ),
        hours_ago=12,
    ),
)
# Arabic: "كوريا الشمالية" only with attached clitics (لكوريا, وكوريا).
ARABIC = (
    LangText(
        id="ar-troops",
        language="ar",
        kind="troops",
        origin="polyglot",
        title="أوكرانيا: قوات تابعة لكوريا الشمالية تخوض أول معاركها في كورسك",
        paragraphs=(
            "قالت الاستخبارات العسكرية الأوكرانية يوم الأربعاء إن قوات تابعة لكوريا الشمالية شاركت للمرة الأولى في معارك ضد الجيش الأوكراني في منطقة كورسك الروسية، مضيفة أن آلاف الجنود نقلوا إلى قرب خط الجبهة الأسبوع الماضي.",
            "وأوضحت كييف أن الوحدات الكورية الشمالية تقاتل إلى جانب مشاة البحرية والمظليين الروس، وأن الجيش الأوكراني اعترض اتصالات لاسلكية باللغة الكورية.",
            "ونفت موسكو وبيونغ يانغ إرسال أي قوات، لكن روسيا وكوريا الشمالية وقعتا هذا الصيف معاهدة للدفاع المشترك، وتعتقد الحكومات الغربية أن بيونغ يانغ تحصل في المقابل على النفط والأموال والتكنولوجيا العسكرية.",
        ),
        copies=(
            Republished(
                "gulf",
                "new_headline",
                "الاستخبارات الأوكرانية: جنود لكوريا الشمالية يقاتلون في كورسك",
            ),
        ),
        hours_ago=27,
    ),
    LangText(
        id="ar-south-korea",
        language="ar",
        kind="near_miss",
        origin="gulf",
        title="صادرات كوريا الجنوبية من الرقائق تسجل مستوى قياسيا",
        paragraphs=(
            "سجلت صادرات كوريا الجنوبية من أشباه الموصلات مستوى قياسيا في نوفمبر بفضل الطلب على رقائق الذاكرة المستخدمة في خوادم الذكاء الاصطناعي، بحسب وزارة التجارة في سيول.",
            "وتعمل شركتا سامسونغ للإلكترونيات وإس كيه هاينكس على زيادة إنتاج الذاكرة عالية النطاق، فيما وسعت الحكومة الحوافز الضريبية للمصانع قيد الإنشاء جنوب العاصمة.",
            "ويرى خبراء الاقتصاد أن التوترات التجارية بين الولايات المتحدة والصين تبقى الخطر الأكبر على الصادرات في العام المقبل.",
        ),
        hours_ago=10,
    ),
)
STORIES = RUSSIAN + UKRAINIAN + GERMAN + FRENCH + ARABIC
