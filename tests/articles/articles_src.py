# -*- coding: utf-8 -*-
"""Source of the golden test articles (fictional news, real-world actors).

Markup (removed by make_articles.py): {{content|speaker|actor|kind}} around
each quote's content, kind d (direct) or p (partial), actor "-" for none,
optional fifth field "m" for a quote that runs on into the next paragraph;
{{+content}} marks that next paragraph's part. '\\udcXX' is the single
invalid byte 0xXX. The mangling (” on both sides, ’’ possessives, stray marks,
runs of spaces, NBSP, « », „ “, primes) is deliberate: it mimics scraped
news corpora. Do not "fix" it.
"""

ARTICLES = []


def article(id, date, title, source, text):
    ARTICLES.append({"id": id, "date": date, "title": title,
                     "source": source, "text": text})


article("01-unsc-ukraine", "2022-02-24",
        "Security Council meets in emergency session as Russian troops cross into Ukraine",
        "Atlantic Wire Service", """
’   The United Nations Security Council met late on Wednesday in an emergency session, its second in three days, as Russian forces crossed into Ukraine from the north, the east and the south.   ’
’   ”{{We are gathered in this chamber while the shells are already falling|Sergiy Kyslytsya|UKR|d}},” Ukraine’’s ambassador, Sergiy Kyslytsya, told the   council. ”{{Every member here has a choice to make tonight, and history will remember it|Sergiy Kyslytsya|UKR|d}}.”   ’
’   Russia’’s envoy, Vassily Nebenzia, said Moscow was conducting what he called a ”{{special military operation|Vassily Nebenzia|RUS|p}}” to protect the residents of the Donbas.   ’
’   ”{{We are not waging war against the Ukrainian people|Vassily Nebenzia|RUS|d}},” he said. ”{{Our quarrel is with those in Kyiv who were armed and encouraged by the West|Vassily Nebenzia|RUS|d}}.”   ’
’   Linda Thomas-Greenfield, the US ambassador to the UN, called the assault ”{{a grave provocation against the   whole international order|Linda Thomas-Greenfield|USA|p}}” and said Washington would table a resolution within hours.   ’
’   ”{{Russia has chosen a path of death and destruction, and it will be held to account|Linda Thomas-Greenfield|USA|d}},” she told   reporters outside the chamber.   ’
’   Secretary-General António Guterres said: ”{{I appeal to every commander on the ground to stop, and to let diplomacy breathe again|António Guterres|UN|d}}.”   ’
’   Britain’’s envoy, Barbara Woodward, said that London regarded the operation as ”{{an unprovoked and premeditated attack on a sovereign democracy|Barbara Woodward|GBR|p}}” and that sanctions would follow within days.   ’
’   China’’s ambassador Zhang Jun urged restraint on all sides. ”{{The door to a peaceful settlement has not been fully shut|Zhang Jun|CHN|d}},” Zhang said.   ’
’   ”{{The Russians will veto it, and they will stand alone when they do|a senior Western diplomat|-|d}},” according to a senior Western diplomat who spoke on condition of anonymity because the negotiations were private.   ’
’   The Kremlin said in a statement that the operation was proceeding ”{{strictly according to plan|the Kremlin|RUS|p}}.”   ’
""")

article("02-china-taiwan-arms", "2023-09-04T08:15:00Z",
        "Beijing demands US cancel Taiwan arms package, warns of countermeasures",
        "Pacific Ledger", """
BEIJING — China on Monday demanded that the United States cancel a $1.1 billion arms package for Taiwan, warning in a foreign ministry statement of "{{resolute countermeasures|China|CHN|p}}" if the sale went ahead.

"{{The United States should stop arming Taiwan and stop creating factors that could raise tensions in the Taiwan Strait|the foreign ministry|CHN|d}}," the foreign ministry said in a statement posted on its    website.

Foreign ministry spokeswoman Mao Ning told a regular briefing that the sale “{{seriously harms China’s sovereignty and security interests|Mao Ning|CHN|p}}”.

“{{We urge Washington to honour its commitments with concrete actions, not empty words|Mao Ning|CHN|d}},” Mao said.

“{{China will take firm and forceful measures to defend its territorial integrity.|Mao Ning|CHN|d}}”

In Washington, Secretary of State Antony Blinken said the package was consistent with decades of policy. "{{Nothing about our approach has changed|Antony Blinken|USA|d}}," Blinken told   reporters travelling with him in Jakarta. "{{We are not seeking conflict and we are not seeking a new Cold War|Antony Blinken|USA|d}}."

A senior US official, briefing journalists on condition of anonymity, said Beijing’s response was "{{predictable and overwrought|a senior US official|USA|p}}."

Taipei welcomed the decision. "{{This package helps us keep the peace through strength|Joseph Wu|TWN|d}}," Joseph Wu, Taiwan’s foreign minister, said in a post on X.

Later on Monday, Foreign Minister Wang Yi said that those who "{{play with fire|Wang Yi|CHN|p}}" over Taiwan would "{{get burned|Wang Yi|CHN|p}}".

Analysts in the region said they expected Beijing to stage military drills. "{{The rhetoric is familiar, but the drills have grown larger every year|Lin Mei-hua|-|d}}," said Lin Mei-hua, a security researcher at a Taipei think\u00a0tank.
""")

article("03-iran-iaea-e3", "2021-06-15",
        "France accuses Iran of a dangerous game as IAEA board meets",
        "Le Courrier diplomatique (English edition)", """
PARIS — France accused Iran on Tuesday of «\u00a0{{playing a dangerous game|France|FRA|p}}\u00a0» with its nuclear programme as the board of the International Atomic Energy Agency met in Vienna amid stalled talks on reviving the 2015 accord.
Foreign Minister Jean-Yves Le Drian said that Tehran’s decision to enrich uranium to 60 percent purity was «\u00a0{{a serious violation that has no credible civilian justification|Jean-Yves Le Drian|FRA|p}}\u00a0».
«\u00a0{{Time is not on our side. Every week that passes makes a return to the agreement harder|Jean-Yves Le Drian|FRA|d}}\u00a0», Le Drian told   lawmakers in the National\u00a0Assembly.
At the Vienna meeting, a French diplomat read out a statement on behalf of the three European powers, signed by France, Germany and Britain: «\u00a0{{We call on Iran to stop all activities that undermine the agency’s ability to verify its programme|France, Germany and Britain|-|d}}\u00a0».
The IAEA’s director general, Rafael Grossi, told reporters that inspectors had lost sight of some equipment. «\u00a0{{We are flying partially blind, and that cannot go on indefinitely|Rafael Grossi|IAEA|d}}\u00a0», he said.
In Tehran, foreign ministry spokesman Saeed Khatibzadeh called the European statement «\u00a0{{unconstructive and politically motivated|Saeed Khatibzadeh|IRN|p}}\u00a0».
«\u00a0{{If the other side returns to its obligations, Iran will return to its obligations. Not one step earlier|Saeed Khatibzadeh|IRN|d}}\u00a0», said Khatibzadeh at his weekly news conference.
Germany’s foreign minister, Heiko Maas, said: «\u00a0{{The window for diplomacy is open, but it will not stay open for ever|Heiko Maas|DEU|d}}\u00a0».
According to Iranian state television, Foreign Minister Mohammad Javad Zarif told his French counterpart by telephone that Europe had «\u00a0{{failed to honour a single one of its promises|Mohammad Javad Zarif|IRN|p}}\u00a0».
Israel’s new prime minister, Naftali Bennett, warned that his government would not be bound by any deal. «\u00a0{{Israel will retain full freedom of action|Naftali Bennett|ISR|d}}\u00a0», he said in his first address to the Knesset as prime minister.
""")

article("04-germany-nord-stream", "2022-09-28T17:40:12+02:00",
        "Berlin says Nord Stream damage was deliberate; Moscow blames Washington",
        "Rheinland Zeitung English Service", """
BERLIN — Germany said on Wednesday that damage to the Nord Stream pipelines was „{{almost certainly the result of deliberate acts|Germany|DEU|p}}“ and demanded a full international investigation.

Foreign Minister Annalena Baerbock told the Bundestag: „{{Whoever attacks our critical infrastructure attacks all of Europe, and Europe will respond together.|Annalena Baerbock|DEU|d}}“

„{{We will not be blackmailed with energy|Annalena Baerbock|DEU|d}}“, she added. „{{Not this winter and not next winter.|Annalena Baerbock|DEU|d}}“

Chancellor Olaf Scholz said that Berlin would „{{not speculate about who is responsible|Olaf Scholz|DEU|p}}“ before the investigation had concluded.

In Moscow, Kremlin spokesman Dmitry Peskov called suggestions of Russian involvement „{{predictable, stupid and absurd|Dmitry Peskov|RUS|p}}“.

„{{This is a big problem for us, because both lines are filled with our gas|Dmitry Peskov|RUS|d}}“, Peskov told journalists on a\u00a0conference\u00a0call.

Foreign ministry spokeswoman Maria Zakharova went further. „{{The question to ask is simple: who benefits?|Maria Zakharova|RUS|d}}“ she wrote on Telegram.

„{{Washington has wanted these pipelines gone for years|Maria Zakharova|RUS|d}}.“

Denmark’s defence minister, Morten Bødskov, said there was „{{no doubt that these were not accidents|Morten Bødskov|DNK|p}}“, adding that Copenhagen was in close contact with   NATO.

The European Union’s foreign policy chief, Josep Borrell, said in a statement on behalf of the 27 member states: „{{Any deliberate disruption of European energy infrastructure is utterly unacceptable and will be met with a robust and united response.|Josep Borrell|EU|d}}“
""")

article("05-india-pakistan-loc", "2023-03-21",
        "India, Pakistan trade blame after deadly firing along Line of Control",
        "Subcontinent Wire", """
NEW DELHI — India and Pakistan traded accusations on Tuesday after an exchange of fire along the Line of Control in Kashmir killed two soldiers and a civilian, the most serious incident since the two sides renewed a ceasefire in 2021.
″{{Pakistan must stop its support for cross-border terrorism if it wants normal relations|Arindam Bagchi|IND|d}},″ Arindam Bagchi, spokesman for India’s Ministry of External Affairs, told a weekly briefing.
″{{Our forces responded in a measured and proportionate manner to unprovoked firing|Arindam Bagchi|IND|d}},″ he said.
" The ministry did not say how many rounds had been fired or whether the army had used artillery.
External Affairs Minister S. Jaishankar said that India would "{{not be deterred by provocations|S. Jaishankar|IND|p}}" and that the ceasefire was "{{only as good as the other side’s conduct|S. Jaishankar|IND|p}}."
In Islamabad, the Foreign Office rejected the claims. "{{India’s allegations are baseless and are aimed at diverting attention from its own human rights violations in occupied Kashmir|the Foreign Office|PAK|d}}," the Foreign Office said in a statement.
Foreign Office spokeswoman Mumtaz Zahra Baloch said: "{{Pakistan remains committed to the ceasefire understanding, but we will respond to any aggression.|Mumtaz Zahra Baloch|PAK|d}}"
The military’s media wing, Inter-Services Public Relations, said Indian troops had fired first "{{without any provocation|Inter-Services Public Relations|PAK|p}}" in the Nikial sector.
Foreign Minister Bilawal Bhutto Zardari called on the United Nations to take notice. ″{{The world cannot look away from Kashmir every time it becomes inconvenient|Bilawal Bhutto Zardari|PAK|d}},″ Bhutto Zardari told   a news conference in Karachi.
A spokesman for the UN Secretary-General, Stéphane Dujarric, urged ″{{maximum restraint|Stéphane Dujarric|UN|p}}″ on both sides.
″{{Neither country can afford an escalation, and both know it|a Western diplomat in New Delhi|-|d}},″ said a Western diplomat in New\u00a0Delhi.
""")

article("06-ethiopia-somaliland-port", "2024-01-03",
        "Somalia recalls envoy over Ethiopia port deal with Somaliland",
        "Horn Dispatch", """
ADDIS ABABA — Somalia recalled its ambassador to Ethiopia on Tuesday after Addis Ababa signed a memorandum of understanding with the breakaway region of Somaliland that would give landlocked Ethiopia access to the Red Sea.
”{{This agreement is null and void and has no legal basis whatsoever|Hassan Sheikh Mohamud|SOM|d}},” Somalia’s president, Hassan Sheikh Mohamud, told an emergency session of parliament in Mogadishu.
”{{No one has the right to give away a single inch of Somali land or sea.|Hassan Sheikh Mohamud|SOM|d}}”
”{{We will defend our territory by every legal means available to us|Hassan Sheikh Mohamud|SOM|d}},” he said.
The office of Prime Minister Abiy Ahmed said in a statement that the deal was ”{{a historic step for Ethiopia and for regional integration|the office of Prime Minister Abiy Ahmed|ETH|p}}” and violated no country’s sovereignty.
Abiy told lawmakers in October that access to the sea was ”{{an existential matter|Abiy Ahmed|ETH|p}}” for a country of 120 million people.
The chairperson of the African Union Commission, Moussa Faki Mahamat, called for ”{{calm and mutual respect|Moussa Faki Mahamat|AU|p}}” and urged the two governments to ”{{engage without delay in a process of negotiation|Moussa Faki Mahamat|AU|p}}.”
A communique read out by the bloc’s executive secretary after an emergency summit in Kampala, and signed by the member states of IGAD, said: ”{{The unity and territorial integrity of every member state is a founding principle of our organisation|IGAD|IGAD|d}}.”
The Egyptian foreign ministry said in a statement that Cairo stood ”{{firmly with Somalia’s unity and territorial integrity|the Egyptian foreign ministry|EGY|p}}.”
”{{Somaliland has governed itself for thirty-two years. The world should accept that reality|Muse Bihi Abdi|-|d}},” said Muse Bihi Abdi, Somaliland’s president, at the signing ceremony.
State Department spokesman Matthew Miller said Washington recognised ”{{the sovereignty and territorial integrity of the Federal Republic of Somalia|Matthew Miller|USA|p}}.”
”{{The port deal touches every old wound in the Horn. Somalia sees a threat to its unity, Eritrea sees Ethiopian ambitions on the coast, and Egypt sees leverage in the dispute over the Nile dam|Amina Yusuf|-|d|m}}.
”{{+What happens next depends on whether anyone in Addis Ababa is willing to slow down}},” said Amina Yusuf, an analyst at the Nairobi-based Institute for Horn Studies.
""")

article("07-un-damascus-strike", "2024-04-02T22:05:00Z",
        "Iran and Russia seek Security Council meeting after strike in Damascus",
        "UN Correspondent", """
UNITED NATIONS — Iran and Russia demanded an emergency meeting of the Security Council on Tuesday after an air strike destroyed a building next to the Iranian embassy in Damascus, killing several senior officers of the Revolutionary Guards.

Iran’s foreign minister, Hossein Amir-Abdollahian, said the strike was ”{{a violation of all international obligations and conventions|Hossein Amir-Abdollahian|IRN|p}}” and that Tehran held Israel responsible.

”{{The response will come at the time and in the manner of our choosing|Hossein Amir-Abdollahian|IRN|d}},” he said in a telephone call with his Syrian counterpart, according to a readout.

The Syrian foreign ministry said in a statement carried by the state news agency SANA that the attack was a ”{{heinous terrorist act|the Syrian foreign ministry|SYR|p}}” that targeted diplomatic premises.

Israel’s military declined to comment on the ” strike, in keeping with its long-standing practice of not discussing operations in Syria. Asked about the attack, a military spokesman said only: ”{{We do not comment on reports in the foreign media|a military spokesman|ISR|d}}.”

At the council, Russia’s deputy ambassador, Dmitry Polyanskiy, said: ”{{This is a flagrant attack on a diplomatic mission, and those who stay silent today share the responsibility|Dmitry Polyanskiy|RUS|d}}.”

Helena Marsh, Britain’s ambassador to the UN, told reporters that London was ”{{deeply concerned about the risk of a wider regional escalation|Helena Marsh|GBR|p}}.”

”{{We urge all parties to exercise restraint. Nobody benefits from a war that spreads across the region|Helena Marsh|GBR|d}},” Marsh said.

Israel’s ambassador to the UN, Gilad Erdan, did not address the strike directly but accused Iran of ”{{spreading terror from Yemen to Lebanon|Gilad Erdan|ISR|p}}.”

”{{The Iranian regime is the root of the violence in this region|Gilad Erdan|ISR|d}},” Erdan told the   council.

A US official said Washington had not been informed in advance. ”{{We had no involvement in the strike and we did not know about it ahead of time|a US official|USA|d}},” the official said.

Secretary-General António Guterres condemned the attack, his spokesman said. ”{{The inviolability of diplomatic and consular premises and personnel must be respected in all cases|Stéphane Dujarric|UN|d}},” said Stéphane Dujarric.
""")

article("08-korea-missile", "2023-07-12T06:30:00+09:00",
        "North Korea fires long-range missile; Seoul, Tokyo condemn launch",
        "Seoul Morning Wire", """
SEOUL — North Korea fired a long-range ballistic missile into the sea off its east coast on Wednesday, prompting condemnation from Seoul, Tokyo and Washington and a threat of further action from Pyongyang.
South Korea’s foreign minister, Park Jin, called the launch ”{{a clear and grave provocation|Park Jin|KOR|p}}” and said Seoul would work with its allies on a response.
”{{The North’s reckless behaviour only strengthens our alliance|Park Jin|KOR|d}},” Park told\u00a0reporters in Seoul.
Japan’s Chief Cabinet Secretary Hirokazu Matsuno said the missile appeared to have landed inside Japan’s exclusive economic zone. ”{{This is an act that threatens the peace and safety of Japan and the region, and it cannot be tolerated|Hirokazu Matsuno|JPN|d}},” Matsuno said.
Foreign Minister Yoshimasa Hayashi said Japan had lodged ”{{a strong protest|Yoshimasa Hayashi|JPN|p}}” through diplomatic channels in Beijing.
In a statement carried by the state news agency KCNA, Kim Yo Jong, the sister of leader Kim Jong Un, said: ”{{The US spy planes that intrude into our economic zone will face a shocking consequence. We have warned them repeatedly|Kim Yo Jong|PRK|d|m}}.
”{{+The responsibility for what follows lies entirely with Washington and its puppets in Seoul.}}”
The defence ministry in Pyongyang said the launch was a ”{{warning to the hostile forces|the defence ministry in Pyongyang|PRK|p}}” gathered on the peninsula.
”{{This launch is a flagrant violation of multiple Security Council resolutions|Adrienne Watson|USA|d}},” said Adrienne Watson, a spokeswoman for the White House National Security Council.
”{{The door has not closed on diplomacy, but Pyongyang has to walk through it.|Adrienne Watson|USA|d}}”
Chinese foreign ministry spokesman Wang Wenbin said the situation on the peninsula was ”{{complex and sensitive|Wang Wenbin|CHN|p}}” and urged all parties to show restraint.
""")

article("09-brazil-venezuela-essequibo", "2023-12",
        "Brazil reinforces northern border as Essequibo dispute escalates",
        "Southern Cone Review", """
BRASÍLIA — Brazil moved troops to its northern border on Wednesday as a territorial dispute between Venezuela and Guyana over the oil-rich Essequibo region escalated after a referendum organised by Caracas.

President Luiz Inácio Lula da Silva said that South America did not need ”{{another war, let alone one over a border drawn more than a century ago|Luiz Inácio Lula da Silva|BRA|p}}.”

”{{If there is one thing we do not want here, it is confusion|Luiz Inácio Lula da Silva|BRA|d}},” Lula told a news conference in Bras\udcedlia. ”{{We want peace and we want the two countries to talk.|Luiz Inácio Lula da Silva|BRA|d}}”

Foreign Minister Mauro Vieira, who spoke by telephone with his Venezuelan counterpart, said Brazil was ready to ”{{host any meeting that helps to lower the temperature|Mauro Vieira|BRA|p}}.”

In Caracas, President Nicolás Maduro said: “{{The Essequibo is Venezuela’s, and the people have spoken with a loud voice|Nicolás Maduro|VEN|d}}.”

“{{We will not ask permission from any empire to defend what belongs to us|Nicolás Maduro|VEN|d}},” he added, in an apparent reference to the United States.

Guyana’s president, Irfaan Ali, called the referendum ”{{a direct threat to Guyana’s territorial integrity|Irfaan Ali|GUY|p}}” and said his government had alerted the Security Council.

'{{Guyana will not give up one square inch of its territory|Irfaan Ali|GUY|d}},' Ali said in a national address.

The Caribbean Community, CARICOM, said in a statement that it ”{{firmly supports the peaceful resolution of the controversy through the International Court of Justice|CARICOM|CARICOM|p}}.”

According to a Brazilian defence ministry official, the deployment was ”{{a precaution, not a message to anyone|a Brazilian defence ministry official|BRA|p}}.”
""")

article("10-turkey-sweden-nato", "2023-07-10",
        "Turkey drops objection to Sweden joining NATO on eve of Vilnius summit",
        "Bosphorus Bulletin", """
VILNIUS — Turkey agreed on Monday to send Sweden’s application to join NATO to its parliament for ratification, removing the last major obstacle to the Nordic country’s membership on the eve of the alliance’s summit in Lithuania.
”{{This is a   historic day|Jens Stoltenberg|NATO|d}},” NATO Secretary General Jens Stoltenberg told   reporters after a three-way meeting with President Recep Tayyip Erdoğan and Sweden’s prime minister, Ulf Kristersson.
”{{I have said all along that I am confident Sweden will become a full member, and today we have taken a big step towards that goal|Jens Stoltenberg|NATO|d}},” he said.
”{{We have come a long way, and this is a very good day for Sweden|Ulf Kristersson|SWE|d}},” said Kristersson, who described the talks as ”{{tough but fair|Ulf Kristersson|SWE|p}}”.
Hours earlier, Erdoğan had linked the issue to Turkey’s own stalled bid to join the European Union. ”{{Those who have kept Turkey waiting at the door of Europe for fifty years should not lecture us about patience|Recep Tayyip Erdoğan|TUR|d}},” he told a news conference in Istanbul before flying to Vilnius.
Foreign Minister Hakan Fidan said that Ankara expected ”{{concrete steps, not promises|Hakan Fidan|TUR|p}}” on counter-terrorism cooperation, including against the PKK.
Sweden’s foreign minister, Tobias Billström, told Swedish radio: ”{{We have fulfilled our part of the agreement we signed in Madrid.|Tobias Billström|SWE|d}}”
The Kremlin said it would respond to the expansion of NATO with ”{{countermeasures of a military-technical nature|the Kremlin|RUS|p}}.”
Hungary’s foreign minister, Péter Szijjártó, said Budapest would not be ”{{the last to ratify|Péter Szijjártó|HUN|p}}.”
”{{Everyone in the room knew the F-16s were part of the conversation, even if nobody said so out loud|a diplomat familiar with the talks|-|d}},” said a diplomat familiar with the talks.
""")

article("11-opec-cut-white-house", "2022-10-05T19:02:33Z",
        "White House rebukes OPEC+ cut; Riyadh says decision purely economic",
        "Capitol Wire", """
WASHINGTON — The White House said on Wednesday that President Joe Biden was ”{{deeply disappointed by a decision that serves no one but Moscow|the White House|USA|p}}” after the OPEC+ alliance, led by Saudi Arabia and Russia, agreed to cut oil production by two million barrels a day.
”{{The timing of this cut could not have been worse for families around the world|Karine Jean-Pierre|USA|d}},” White House press secretary Karine Jean-Pierre told reporters aboard Air Force One.
National Security Council spokesman John Kirby said that the administration would review ”{{every option|John Kirby|USA|p}}” in its relationship with Riyadh.
”{{We are going to take a hard look at this relationship, and at whether it still serves our national security interests|John Kirby|USA|d}},” Kirby said in a television interview.
Saudi Arabia’s foreign minister, Prince Faisal bin Farhan, said the decision was ”{{purely economic|Faisal bin Farhan|SAU|p}}” and had been taken unanimously by the producers.
”{{OPEC+ acts in the interest of a stable market, not to side with anyone against anyone|Faisal bin Farhan|SAU|d}},” Prince Faisal told Al Arabiya.
The Saudi foreign ministry later said in a statement that it ”{{categorically rejects|the Saudi foreign ministry|SAU|p}}” any claim that the kingdom had taken sides in international conflicts.
Kremlin spokesman Dmitry Peskov said Moscow welcomed the decision. ”{{This is a responsible and balanced step by the OPEC+ countries|Dmitry Peskov|RUS|d}}.”
Senator Bob Menendez, chairman of the Senate Foreign Relations Committee, said: ”{{A partner does not help the Kremlin pay for its war|Bob Menendez|USA|d}}.”
An energy analyst in Dubai, Rana Haddad, said: ”{{The Saudis are telling Washington that their oil policy is made in Riyadh and nowhere else|Rana Haddad|-|d|m}}.
”{{+That message has been building for years, and this week it was delivered with a megaphone.}}”
""")

article("12-eu-china-ev-tariffs", "2024-10",
        "EU backs tariffs on Chinese electric cars despite German opposition",
        "Brussels Briefing", """
BRUSSELS — European Union governments on Friday backed tariffs of up to 35 percent on electric vehicles made in China, defying a campaign by Beijing and a vote against by Germany, the bloc’s largest economy.
"{{Today’s decision is a proportionate response to unfair subsidies that distort our market|Valdis Dombrovskis|EU|d}}," Valdis Dombrovskis, the European Commission’s executive vice-president for trade, told a news conference.
"{{We remain open to a negotiated solution, but it must be effective and enforceable|Valdis Dombrovskis|EU|d}}," he said.
The European Commission said in a statement that it would continue talks with Beijing on "{{alternative solutions that fully address the problems identified|the European Commission|EU|p}}".
The Chinese commerce ministry said it "{{does not accept|the Chinese commerce ministry|CHN|p}}" the ruling and would "{{take all necessary measures to firmly safeguard the interests of Chinese companies|the Chinese commerce ministry|CHN|p}}."
"{{The EU’s protectionist practice will only damage its own image and the global green transition|Mao Ning|CHN|d}}," foreign ministry spokeswoman Mao Ning told a daily\u00a0briefing in   Beijing.
In Berlin, Chancellor Olaf Scholz said that Europe should not "{{harm itself|Olaf Scholz|DEU|p}}" with a trade war.
Germany’s finance minister, Christian Lindner, said: "{{The Commission must not provoke a trade war with China|Christian Lindner|DEU|d}}."
France welcomed the vote. "{{Europe has shown today that it is capable of defending its industry|Antoine Armand|FRA|d}}," said Antoine Armand, France’s economy minister.
An EU diplomat said the size of the German "no" camp had surprised few in the room. "{{Berlin had to vote against for its carmakers, and everyone understood that|an EU diplomat|EU|d}}."
""")

article("13-uk-ukraine-sanctions", "2024-02-22",
        "Cameron unveils new Russia sanctions on visit to Kyiv",
        "Whitehall Gazette", """
KYIV — Britain announced a new package of sanctions against Russia on Thursday as the Foreign Secretary, David Cameron, and Ukraine’s foreign minister, Dmytro Kuleba, held a joint press conference in Kyiv, two days before the second anniversary of the full-scale invasion.

‘{{Putin thought he could outlast us. He was wrong|David Cameron|GBR|d}},’ Lord Cameron told reporters. ‘{{Britain’s support for Ukraine is not going to waver, this year or next|David Cameron|GBR|d}}.’

‘{{The Kremlin’’s calculation is that our patience will run out first|David Cameron|GBR|d}},’ Cameron added.

Kuleba said that Ukraine needed ‘{{artillery shells, not sympathy|Dmytro Kuleba|UKR|p}}’ and urged European partners to speed up deliveries.

‘{{Every day of delay is paid for with Ukrainian lives|Dmytro Kuleba|UKR|d}},’ he said. ‘{{I say this without any drama; it is simply arithmetic.|Dmytro Kuleba|UKR|d}}’

President Volodymyr Zelensky, speaking later in his nightly video address, called the sanctions ‘{{a strong and timely step|Volodymyr Zelensky|UKR|p}}’.

A statement read by the Italian presidency and signed by the foreign ministers of the Group of Seven said: ‘{{We will continue to impose severe costs on Russia for its war of aggression|the Group of Seven|G7|d}}.’

The Russian embassy in London said in a statement that the measures were ‘{{illegitimate and doomed to fail|the Russian embassy in London|RUS|p}}’.

Moscow dismissed the announcement. ‘{{London has long since exhausted its sanctions arsenal and is now sanctioning itself|Maria Zakharova|RUS|d}},’ Maria Zakharova, the Russian foreign ministry spokeswoman, wrote on Telegram.

A senior British official, briefing journalists on the plane to Kyiv, said the package targeted ‘{{the people who keep the Russian war machine supplied|a senior British official|GBR|p}}’, including suppliers of machine tools in third countries.
""")

article("14-ecowas-niger", "2023-08-10T16:45:00Z",
        "ECOWAS orders standby force activated over Niger coup",
        "West Africa Monitor", """
’   ABUJA — West African leaders on Thursday ordered the activation of a standby force to restore constitutional order in Niger, two weeks after soldiers detained President Mohamed Bazoum, while insisting that diplomacy remained their first choice.   ’
’   ”{{No option is taken off the table, including the use of force as a last resort|Bola Tinubu|NGA|d}},” Nigeria’’s president, Bola Tinubu, who chairs the Economic Community of West African States, told the summit in   Abuja.   ’
’   ”{{We cannot allow what happened in Niamey to become the new normal in our region.|Bola Tinubu|NGA|d}}”   ’
’   ”{{We owe it to the people of Niger to exhaust every peaceful avenue first|Yusuf Tuggar|NGA|d}},” according to Yusuf Tuggar, Nigeria’’s foreign minister, who said a delegation of religious leaders had been received in Niamey.   ’
’   The commission president, Omar Alieu Touray, read a final communique signed by the ECOWAS heads of state, which directed the chiefs of defence staff ”{{to activate the standby force with all its elements immediately|the ECOWAS heads of state|ECOWAS|p}}.”   ’
’   Niger’’s military rulers said in a statement read on state television that any intervention would meet ”{{an immediate and energetic response|Niger’s military rulers|NER|p}}.”   ’
’   Gen. Abdourahamane Tiani, who has declared himself head of state, said: ”{{We will not bow to the threats of foreign powers\u00a0or of their local agents|Abdourahamane Tiani|NER|d}}.”   ’
’   Mali and Burkina Faso, also run by military governments, said in a joint statement that an intervention in Niger would be considered ”{{a declaration of war against Burkina Faso and Mali|Mali and Burkina Faso|-|p}}.”   ’
’   In Washington, State Department spokesman Matthew Miller said the United States ”{{appreciates the determination of ECOWAS to explore all options|Matthew Miller|USA|p}}” for a peaceful resolution.   ’
’   ”{{The AU has always preferred dialogue, and we expect the council to say so clearly|an AU official|AU|d}},” said an AU official in Addis Ababa, who asked not to be named.   ’
’   ”{{President Bazoum is being held without electricity and without fresh food. His health is a matter of grave concern|Hamid N’Gadé|-|d|m}}.   ’
’   ”{{+We hold the soldiers personally responsible for his life}},” said Hamid N’Gadé, a spokesman for Bazoum’’s party, the PNDS.   ’
""")

article("15-south-africa-icj", "2024-01-11",
        "South Africa opens genocide case against Israel at world court",
        "Cape Chronicle", """
THE HAGUE — South Africa asked the International Court of Justice on Thursday to order Israel to halt its military campaign in Gaza, opening two days of hearings in a case that has divided Western governments and the Global South.

''{{We are here because the world has failed to act|Ronald Lamola|ZAF|d}},'' Justice Minister Ronald Lamola told the 17 judges in the Peace\u00a0Palace.

Foreign Minister Naledi Pandor said in Pretoria that South Africa had brought the case ”{{not against the Jewish people, but against the conduct of a state|Naledi Pandor|ZAF|p}}.”

”{{We take no pleasure in this|Naledi Pandor|ZAF|d}},” she told the SABC. ”{{The convention obliges every signatory to act, and we are a signatory.|Naledi Pandor|ZAF|d}}”

Israel’s foreign ministry spokesman, Lior Haiat, called the case ”{{a display of hypocrisy by a government that speaks for Hamas|Lior Haiat|ISR|p}}.”

Prime Minister Benjamin Netanyahu said in a video statement: ”{{Israel is fighting a war of self-defence against an enemy that hides behind civilians.|Benjamin Netanyahu|ISR|d}}”

”{{We will continue until our hostages are home and our people are safe|Benjamin Netanyahu|ISR|d}}.”

The White House National Security Council spokesman, John Kirby, said Washington considered the submission ”{{without merit and unhelpful to the search for peace|John Kirby|USA|p}}.”

Itamaraty, Brazil’s foreign ministry, said in a note that it supported the South African initiative and hoped it would lead Israel ”{{to cease immediately all acts that could constitute violations of the convention|Itamaraty|BRA|p}}.”

The Palestinian foreign ministry said the hearings were ”{{a moment of truth for the international legal order|the Palestinian foreign ministry|PSE|p}}.”

A European diplomat in The Hague said most EU governments would wait for the court’s ruling before commenting. ”{{Nobody wants to be the first to say anything about the merits|a European diplomat|-|d}},” the diplomat said.

Germany’s government spokesman, Steffen Hebestreit, said Berlin ”{{explicitly rejects|Steffen Hebestreit|DEU|p}}” the accusation against Israel.
""")
