"""The seed network's meetings. The kick-off follows ICLD's announcement
(shared/seed/000_47b7d8f555b4ea11.txt: "i mitten av december hölls ett uppstartsmöte"), held at
ICLD in Visby; Swedish is the original language, English and Ukrainian are our translations.
Times are local to the event's zone."""

KICK_OFF = {
    "title_sv": "Uppstartsmöte för nätverket Demokratisk resiliens",
    "title_en": "Kick-off meeting of the Democratic resilience network",
    "title_uk": "Стартова зустріч мережі «Демократична стійкість»",
    "agenda_sv": (
        "09.30 Välkommen till Visby – ICLD presenterar nätverket Demokratisk resiliens\n"
        "10.15 De sex partnerskapen presenterar sig: Falun–Kolomyia, Karlskrona–Chortkiv, "
        "Lidingö–Slavuta, Ronneby–Ternopil, Umeå–Cherson, Växjö–Kalush\n"
        "12.00 Lunch\n"
        "13.00 Workshop: demokratiska institutioner i kris – erfarenheter från båda sidor\n"
        "14.30 Uppstartsfasen: team, aktivitetsplan, budget och rapportering\n"
        "16.00 Avslutning och nästa steg"
    ),
    "agenda_en": (
        "09.30 Welcome to Visby – ICLD presents the Democratic resilience network\n"
        "10.15 The six partnerships introduce themselves: Falun–Kolomyia, Karlskrona–Chortkiv, "
        "Lidingö–Slavuta, Ronneby–Ternopil, Umeå–Kherson, Växjö–Kalush\n"
        "12.00 Lunch\n"
        "13.00 Workshop: democratic institutions in a crisis – experience from both sides\n"
        "14.30 The inception phase: team, activity plan, budget and reporting\n"
        "16.00 Closing and next steps"
    ),
    "agenda_uk": (
        "09:30 Ласкаво просимо до Вісбю – ICLD представляє мережу «Демократична стійкість»\n"
        "10:15 Шість партнерств представляються: Фалун–Коломия, Карлскруна–Чортків, "
        "Лідінге–Славута, Роннебю–Тернопіль, Умео–Херсон, Векше–Калуш\n"
        "12:00 Обід\n"
        "13:00 Семінар: демократичні інституції в умовах кризи – досвід обох сторін\n"
        "14:30 Початкова фаза: команда, план заходів, бюджет і звітність\n"
        "16:00 Завершення та наступні кроки"
    ),
    "starts_at": "2026-12-15T09:30:00",
    "ends_at": "2026-12-15T16:30:00",
    "time_zone": "Europe/Stockholm",
    "place": "ICLD, Visby",
    "capacity": 40,
    "partnership_quota": 6,
}
FOLLOW_UP = {
    "title_sv": "Uppföljning av uppstarten (digitalt möte)",
    "title_en": "Follow-up of the kick-off (online meeting)",
    "title_uk": "Подальша зустріч після старту (онлайн)",
    "agenda_sv": (
        "Varje partnerskap berättar kort hur aktivitetsplanen har kommit igång. "
        "Frågor och svar om rapporteringen."
    ),
    "agenda_en": (
        "Each partnership says briefly how its activity plan has started. "
        "Questions and answers about reporting."
    ),
    "agenda_uk": (
        "Кожне партнерство коротко розповідає, як розпочалося виконання плану заходів. "
        "Запитання та відповіді щодо звітності."
    ),
    "starts_at": "2027-01-28T10:00:00",
    "ends_at": "2027-01-28T11:30:00",
    "time_zone": "Europe/Stockholm",
    "place": "",
    "online_url": "https://meet.icld.example/demokratisk-resiliens",
    "capacity": 60,
}
