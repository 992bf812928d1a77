"""Stories in Korean, Japanese and Chinese: no spaces (ja, zh) or particles on every noun (ko).

The Chinese and Japanese stories are full articles of 150 to 300 characters: a
character count made for English calls them too short. The briefs are a line long.
"""

# Prose lines are kept whole.
# ruff: noqa: E501

from __future__ import annotations

from tests.harness.newsweb.multilingual.text import LangText, Republished

# Korean: 북한 only with particles or in compounds (북한군, 북한이, 북한과, 북한에서는).
KOREAN = (
    LangText(
        id="ko-troops",
        language="ko",
        kind="troops",
        origin="polyglot",
        title="북한군, 쿠르스크 전선에서 첫 교전",
        paragraphs=(
            "우크라이나 국방정보국은 러시아 쿠르스크 지역에 배치된 북한군이 처음으로 우크라이나군과 교전했다고 밝혔다. 정보국은 북한군 수천 명이 지난주 전선 가까이로 이동했다고 설명했다.",
            "우크라이나 당국은 북한이 파견한 병력이 러시아 해병대와 공수부대에 편입돼 작전을 수행하고 있다고 전했다. 우크라이나군은 전장에서 한국어로 된 무전 교신을 여러 차례 감청했다고 덧붙였다.",
            "국가정보원은 국회 정보위원회에 북한과 러시아가 무기와 기술을 주고받는 협력을 강화하고 있다고 보고했다. 전문가들은 이번 파병이 한반도 안보 환경에도 영향을 줄 수 있다고 경고했다.",
        ),
        copies=(
            Republished(
                "asia", "new_headline", '우크라이나 정보국 "북한군, 러시아군과 함께 첫 전투"'
            ),
        ),
        hours_ago=29,
    ),
    LangText(
        id="ko-captives",
        language="ko",
        kind="captives",
        origin="asia",
        title="북한군 포로 2명, 키이우로 이송",
        paragraphs=(
            "우크라이나 보안국은 쿠르스크 지역에서 생포된 북한군 병사 두 명이 키이우로 이송돼 조사를 받고 있다고 밝혔다. 이들은 부상을 입었지만 생명에는 지장이 없는 것으로 알려졌다.",
            "보안국이 공개한 영상에서 한 병사는 러시아에서 훈련을 받는 줄 알았으며 전투에 투입될 줄은 몰랐다고 말했다. 통역은 국가정보원의 협조로 이뤄진 것으로 전해졌다.",
            "정부는 포로들이 귀순 의사를 밝힐 경우 국내로 데려오는 방안을 검토하고 있다. 북한에서는 아직 아무런 반응이 없다.",
            "전문가들은 포로 신문 과정에서 북한군의 파병 규모와 훈련 방식, 러시아군과의 지휘 체계에 관한 정보가 드러날 수 있다고 내다봤다.",
        ),
        copies=(
            Republished(
                "polyglot",
                "light_edit",
                edits=(("있다고 밝혔다", "있다고 전했다"), ("알려졌다", "전해졌다")),
            ),
        ),
        hours_ago=21,
    ),
    LangText(
        id="ko-exports",
        language="ko",
        kind="near_miss",
        origin="asia",
        title="한국 반도체 수출, 11월 역대 최대",
        paragraphs=(
            "한국의 11월 반도체 수출이 인공지능 서버용 메모리 수요에 힘입어 역대 최대를 기록했다고 산업통상자원부가 밝혔다. 전체 수출도 1년 전보다 9퍼센트 늘었다.",
            "삼성전자와 SK하이닉스는 고대역폭 메모리 생산을 늘리고 있으며, 정부는 수도권 남쪽에 건설 중인 반도체 단지에 세제 혜택을 확대하기로 했다.",
            "전문가들은 미국과 중국의 무역 갈등이 내년 수출 전망의 가장 큰 변수라고 지적했다.",
            "반도체 외에도 자동차와 선박 수출이 늘었고, 석유제품과 철강 수출은 국제 가격 하락으로 줄었다. 무역수지는 18개월 연속 흑자를 이어갔다.",
        ),
        hours_ago=15,
    ),
)
JAPANESE = (
    LangText(
        id="ja-troops",
        language="ja",
        kind="troops",
        origin="polyglot",
        title="北朝鮮兵、クルスク州で初の戦闘か",
        paragraphs=(
            "ウクライナ国防省情報総局は、ロシア西部クルスク州に派遣された北朝鮮兵がウクライナ軍との戦闘に初めて参加したと発表した。情報総局によると、数千人規模の部隊が先週、前線近くに移動したという。",
            "ウクライナ側は、北朝鮮軍の部隊がロシアの海軍歩兵や空挺部隊と共に作戦を行っていると説明している。前線では朝鮮語の無線交信も傍受されたとしている。",
            "ロシアと北朝鮮はいずれも派兵を公式には認めていない。専門家は、北朝鮮がロシアから軍事技術や資金を得る見返りに兵士を送っていると分析している。",
            "韓国の国家情報院は、北朝鮮が今後さらに数千人の兵士を追加で派遣する可能性があるとの見方を国会に報告した。",
        ),
        copies=(Republished("asia", "light_edit", edits=(("発表した", "明らかにした"),)),),
        hours_ago=25,
    ),
    LangText(
        id="ja-captives",
        language="ja",
        kind="captives",
        origin="asia",
        title="北朝鮮軍の捕虜、キーウで取り調べ",
        paragraphs=(
            "ウクライナ保安庁は、クルスク州で拘束した北朝鮮軍の兵士二人をキーウに移送し、取り調べを進めていると明らかにした。二人は負傷しているが、命に別条はないという。",
            "公開された映像で、兵士の一人は「ロシアで訓練を受けると聞いていた。戦うとは思わなかった」と話した。通訳は韓国の情報機関が協力したとされる。",
            "韓国政府は、本人が希望すれば韓国への移送も検討する方針だ。",
            "専門家は、捕虜の証言によって派兵の規模や訓練の実態、ロシア軍との指揮系統が明らかになる可能性があると指摘している。ロシア側はこれまで、外国兵の存在を否定してきた。北朝鮮の国営メディアは、この件について報じていない。",
        ),
        hours_ago=19,
    ),
    LangText(
        id="ja-exports",
        language="ja",
        kind="near_miss",
        origin="asia",
        title="韓国の半導体輸出、過去最高に",
        paragraphs=(
            "韓国産業通商資源省は、11月の半導体輸出が人工知能向けメモリーの需要拡大を受けて過去最高を記録したと発表した。輸出全体も前年同月比で9%増えた。",
            "サムスン電子とSKハイニックスは広帯域メモリーの生産を増やしており、韓国政府はソウル南部で建設中の半導体団地への税制優遇を拡大する。",
            "専門家は、米中の貿易摩擦が来年の輸出見通しの最大の不安要因だと指摘している。",
            "半導体以外では自動車や船舶の輸出が伸びた一方、石油製品や鉄鋼は国際価格の下落で減少した。貿易収支は18か月連続の黒字となった。ただ、ウォン高が進めば企業の収益を圧迫するとの懸念も出ている。",
        ),
        hours_ago=13,
    ),
    LangText(
        id="ja-brief",
        language="ja",
        kind="brief",
        origin="asia",
        title="北朝鮮兵、新たに前線へ",
        paragraphs=("北朝鮮兵の追加派遣が確認された。詳細は追って伝える。",),
        hours_ago=8,
    ),
)
# Chinese: two different stories about the same event must stay two stories;
# 朝鲜半岛 (the Korean peninsula) in a weather report is no story about North Korea.
CHINESE = (
    LangText(
        id="zh-troops",
        language="zh",
        kind="troops",
        origin="polyglot",
        title="乌克兰称朝鲜士兵首次在库尔斯克参战",
        paragraphs=(
            "乌克兰国防部情报总局周三表示，部署在俄罗斯库尔斯克州的朝鲜士兵首次与乌克兰军队交火。情报总局称，数千名朝鲜军人上周被调往前线附近。",
            "乌方说，朝鲜部队与俄罗斯海军步兵和空降兵一起行动，乌军还在前线截获了朝鲜语无线电通话。",
            "俄罗斯和朝鲜均未公开承认派兵。分析人士认为，平壤派兵是为了换取俄方的资金、石油和军事技术，此举可能改变朝鲜半岛的安全局势。",
            "韩国国家情报院向国会报告说，朝鲜可能在未来几个月内再向俄罗斯增派数千名士兵，并派出更多军官和技术人员。乌克兰总统呼吁盟友加大对莫斯科和平壤的压力。美国和北约也表示，正在密切关注这一动向。",
        ),
        copies=(
            Republished("asia", "light_edit", edits=(("周三", "星期三"), ("数千名", "几千名"))),
        ),
        hours_ago=23,
    ),
    LangText(
        id="zh-captives",
        language="zh",
        kind="captives",
        origin="asia",
        title="被俘朝鲜军人在基辅接受审讯",
        paragraphs=(
            "乌克兰安全局表示，两名在库尔斯克州被俘的朝鲜军人已被押送到基辅接受审讯。两人均受了伤，但没有生命危险。",
            "安全局公布的视频显示，其中一名士兵说，他原以为自己是去俄罗斯参加训练，没有想到会被派上战场。翻译工作由韩国情报机构协助完成。",
            "韩国政府表示，如果两人提出要求，将考虑把他们接到韩国。",
            "专家指出，俘虏的供述可能揭示朝鲜派兵的规模、训练方式以及与俄军之间的指挥关系。俄罗斯方面此前一直否认有外国军人在其境内作战，朝鲜官方媒体也没有报道此事。",
            "乌克兰方面表示，将按照日内瓦公约对待这两名战俘，并允许国际红十字会探视。乌方还说，愿意用他们交换被俄罗斯关押的乌克兰军人。",
        ),
        copies=(Republished("polyglot", "new_headline", "两名朝鲜战俘被押往基辅"),),
        hours_ago=17,
    ),
    LangText(
        id="zh-weather",
        language="zh",
        kind="near_miss",
        origin="asia",
        title="寒潮将影响朝鲜半岛和中国东北",
        paragraphs=(
            "中央气象台周四发布寒潮预警，预计未来三天强冷空气将影响中国东北地区和朝鲜半岛，气温将下降八到十二摄氏度，部分地区有大雪。",
            "气象专家提醒，辽宁、吉林两省沿海地区风力较大，渔船应及时回港避风，居民出行要注意防寒保暖和道路结冰。",
            "受寒潮影响，沈阳、大连等地的部分航班可能延误，铁路部门已安排人员除雪。",
            "气象部门预计，这次寒潮过程将持续到下周初，随后气温逐渐回升。韩国气象厅也发布了大雪预报，首尔等地周末可能出现今冬首场降雪。",
            "专家建议，农业部门要做好大棚蔬菜和越冬作物的防冻工作，交通部门要提前准备融雪物资。供暖企业已提前启动供热，保障居民正常取暖。",
        ),
        hours_ago=11,
    ),
    LangText(
        id="zh-brief",
        language="zh",
        kind="brief",
        origin="asia",
        title="又一批朝鲜士兵抵达前线",
        paragraphs=("据报道，又一批朝鲜士兵抵达库尔斯克。",),
        hours_ago=7,
    ),
)
STORIES = KOREAN + JAPANESE + CHINESE
