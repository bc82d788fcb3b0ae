"""The seed network, from ICLD's announcement (shared/seed/000_47b7d8f555b4ea11.txt).

Swedish is the original language of every text below (quoted or closely following the
announcement); English and Ukrainian are our translations. Official Swedish organisation names
("Falu kommun", "Lidingö stad") are those the announcement lists under "Svensk partner".
"""

NETWORK = {
    "slug": "democratic-resilience",
    "funder": "ICLD – Swedish International Centre for Local Democracy",
    "name_sv": "Demokratisk resiliens",
    "name_en": "Democratic resilience",
    "name_uk": "Демократична стійкість",
    "description_sv": (
        "ICLD:s nätverk för demokratisk resiliens syftar till att gemensamt möta utmaningarna "
        "i att upprätthålla och stärka demokratiska institutioner i utmanande tider. "
        "Nätverket samlar partnerskapsamarbeten mellan bland annat svenska kommuner och "
        "kommuner i Ukraina."
    ),
    "description_en": (
        "ICLD's network for democratic resilience aims to jointly meet the challenges of "
        "maintaining and strengthening democratic institutions in challenging times. The network "
        "brings together partnerships between Swedish municipalities and municipalities in "
        "Ukraine, among others."
    ),
    "description_uk": (
        "Мережа ICLD «Демократична стійкість» має на меті спільно долати виклики збереження та "
        "зміцнення демократичних інституцій у складні часи. Мережа об'єднує партнерства, зокрема, "
        "між шведськими муніципалітетами та громадами України."
    ),
}
AREAS = [
    (
        "technical-services-infrastructure",
        "15112",
        "Tekniska tjänster och infrastruktur",
        "Technical services and infrastructure",
        "Технічні послуги та інфраструктура",
    ),
    ("education", "11110", "Utbildning", "Education", "Освіта"),
    ("urban-planning", "43030", "Stadsplanering", "Urban planning", "Містобудування"),
    (
        "inclusive-leadership-governance",
        "15150",
        "Inkluderande ledarskap och styrning",
        "Inclusive leadership and governance",
        "Інклюзивне лідерство та врядування",
    ),
]
TAGS = [
    ("democracy", "demokrati", "democracy", "демократія"),
    ("ukraine", "Ukraina", "Ukraine", "Україна"),
]
GOALS = (16, 17)

PARTNERSHIPS = [
    {
        "slug": "falun-kolomyia",
        "swedish": "2080",
        "partner": "UA26080070000092582",
        "official_name": "Falu kommun",
        "area": "technical-services-infrastructure",
        "summary_sv": "Vattenförsörjning, avfallshantering och system som står emot kriser.",
        "summary_en": "Water supply, waste management and crisis-resistant systems.",
        "summary_uk": "Водопостачання, поводження з відходами та стійкі до криз системи.",
        "description_sv": (
            "Falun och Kolomyia kommer att arbeta tillsammans för att göra infrastrukturen mer "
            "jämlik och tillgänglig för alla. Fokus kommer att ligga på vattenförsörjning och "
            "avfallshantering. Syftet är att bygga starka och hållbara system som står emot "
            "kriser."
        ),
        "description_en": (
            "Falun and Kolomyia will work together to make infrastructure more equal and "
            "accessible to everyone. The focus will be on water supply and waste management. The "
            "aim is to build strong and sustainable systems that withstand crises."
        ),
        "description_uk": (
            "Фалун і Коломия працюватимуть разом, щоб зробити інфраструктуру рівнішою та "
            "доступнішою для всіх. Основна увага буде приділена водопостачанню та поводженню з "
            "відходами. Мета полягає в тому, щоб побудувати міцні та сталі системи, стійкі до "
            "криз."
        ),
    },
    {
        "slug": "karlskrona-chortkiv",
        "swedish": "1080",
        "partner": "UA61060430000094264",
        "official_name": "Karlskrona kommun",
        "area": "education",
        "summary_sv": "Ett bättre och mer demokratiskt utbildningssystem för unga och äldre.",
        "summary_en": "A better, more democratic education system for young and old.",
        "summary_uk": "Краща та демократичніша система освіти для молоді та старших людей.",
        "description_sv": (
            "Karlskrona och Chortkiv fokuserar på att göra utbildningssystemet bättre och mer "
            "demokratiskt. Chortkiv vill utveckla sitt sätt att undervisa för att ge både unga "
            "och äldre bättre möjligheter."
        ),
        "description_en": (
            "Karlskrona and Chortkiv focus on making the education system better and more "
            "democratic. Chortkiv wants to develop its way of teaching to give both young and old "
            "people better opportunities."
        ),
        "description_uk": (
            "Карлскруна і Чортків зосереджуються на тому, щоб зробити систему освіти кращою та "
            "демократичнішою. Чортків прагне розвивати свої методи навчання, щоб надати кращі "
            "можливості як молоді, так і людям старшого віку."
        ),
    },
    {
        "slug": "lidingo-slavuta",
        "swedish": "0186",
        "partner": "UA68060270000042174",
        "official_name": "Lidingö stad",
        "area": "education",
        "summary_sv": "Likvärdig skola och framtidens demokratiska medborgare.",
        "summary_en": "Equal schooling and the democratic citizens of the future.",
        "summary_uk": "Рівна освіта та демократичні громадяни майбутнього.",
        "description_sv": (
            "Lidingö och Slavuta vill minska skillnaderna i skolan och göra utbildningen lika bra "
            "för alla. De strävar efter att alla ska ha samma möjligheter att lära sig och växa, "
            "oavsett bakgrund. Genom att arbeta tillsammans hoppas de kunna fostra framtidens "
            "demokratiska medborgare som är redo att bygga en fredligare värld."
        ),
        "description_en": (
            "Lidingö and Slavuta want to reduce differences in school and make education equally "
            "good for everyone. They strive for everyone to have the same opportunities to learn "
            "and grow, regardless of background. By working together they hope to raise the "
            "democratic citizens of the future, ready to build a more peaceful world."
        ),
        "description_uk": (
            "Лідінге і Славута прагнуть зменшити розрив у шкільній освіті та зробити навчання "
            "однаково якісним для всіх. Вони прагнуть, щоб кожен мав однакові можливості вчитися "
            "й розвиватися незалежно від походження. Працюючи разом, вони сподіваються виховати "
            "демократичних громадян майбутнього, готових будувати мирніший світ."
        ),
    },
    {
        "slug": "ronneby-ternopil",
        "swedish": "1081",
        "partner": "UA61040490000035010",
        "official_name": "Ronneby kommun",
        "area": "technical-services-infrastructure",
        "summary_sv": "Vattenhantering, krisberedskap, miljö och Ukrainas väg mot EU.",
        "summary_en": (
            "Water management, crisis preparedness, the environment and Ukraine's path to the EU."
        ),
        "summary_uk": (
            "Управління водними ресурсами, готовність до криз, довкілля та шлях України до ЄС."
        ),
        "description_sv": (
            "Ronneby och Ternopil kommer att samarbeta kring hur de förbättrar vattenhantering "
            "och andra tekniska tjänster. De delar kunskap om hur man kan vara bättre förberedd "
            "på kriser och hur man kan skydda miljön samtidigt som man ser till att alla har "
            "tillgång till rent vatten. De vill också göra sina samhällen starkare och bättre "
            "rustade för framtiden, särskilt med tanke på Ukrainas väg mot EU."
        ),
        "description_en": (
            "Ronneby and Ternopil will cooperate on improving water management and other "
            "technical services. They share knowledge on how to be better prepared for crises and "
            "how to protect the environment while making sure everyone has access to clean water. "
            "They also want to make their communities stronger and better equipped for the "
            "future, especially in view of Ukraine's path towards the EU."
        ),
        "description_uk": (
            "Роннебю і Тернопіль співпрацюватимуть над покращенням управління водними ресурсами "
            "та інших технічних послуг. Вони діляться знаннями про те, як краще готуватися до "
            "криз і захищати довкілля, водночас забезпечуючи всім доступ до чистої води. Вони "
            "також хочуть зробити свої громади сильнішими та краще підготовленими до майбутнього, "
            "особливо з огляду на шлях України до ЄС."
        ),
    },
    {
        "slug": "umea-kherson",
        "swedish": "2480",
        "partner": "UA65100150000057191",
        "official_name": "Umeå kommun",
        "area": "urban-planning",
        "summary_sv": "Jämställd stadsplanering och invånarnas digitala delaktighet.",
        "summary_en": "Gender-equal urban planning and residents' digital participation.",
        "summary_uk": "Гендерно рівне містобудування та цифрова участь мешканців.",
        "description_sv": (
            "Umeå och Cherson ska samarbeta tillsammans för att planera städer som är bra för "
            "alla att leva i, även efter kriget. De tittar särskilt på hur man kan göra "
            "stadsplaneringen mer jämställd och hur digital teknik kan hjälpa till att få med "
            "alla invånares åsikter. Målet är att bygga upp städer där alla känner sig välkomna "
            "och kan vara med och bestämma."
        ),
        "description_en": (
            "Umeå and Kherson will work together to plan cities that are good for everyone to "
            "live in, also after the war. They look in particular at how to make urban planning "
            "more gender-equal and how digital technology can help include the views of all "
            "residents. The goal is to build cities where everyone feels welcome and can take "
            "part in decisions."
        ),
        "description_uk": (
            "Умео і Херсон співпрацюватимуть, щоб планувати міста, у яких добре жити всім, "
            "зокрема й після війни. Вони особливо розглядають, як зробити містобудування гендерно "
            "рівнішим і як цифрові технології можуть допомогти врахувати думку всіх мешканців. "
            "Мета полягає в тому, щоб будувати міста, де кожен почувається бажаним і може брати "
            "участь в ухваленні рішень."
        ),
    },
    {
        "slug": "vaxjo-kalush",
        "swedish": "0780",
        "partner": "UA26060170000091466",
        "official_name": "Växjö kommun",
        "area": "inclusive-leadership-governance",
        "summary_sv": (
            "Inkluderande beslut, krigsekonomi, krisberedskap, unga och digital kommunikation."
        ),
        "summary_en": (
            "Inclusive decisions, the war economy, crisis preparedness, youth and digital "
            "communication."
        ),
        "summary_uk": (
            "Інклюзивні рішення, економіка воєнного часу, готовність до криз, молодь і цифрова "
            "комунікація."
        ),
        "description_sv": (
            "Växjö och Kalush vill arbeta tillsammans för att göra ledarskap och beslutsfattande "
            "mer inkluderande. De ser särskilt på hur kriget påverkar Kalushs ekonomi och hur "
            "båda kommunerna kan förbättra sin beredskap för kriser. De vill engagera ungdomar "
            "mer i samhället och använda digital teknik för att kommunicera bättre med invånarna."
        ),
        "description_en": (
            "Växjö and Kalush want to work together to make leadership and decision-making more "
            "inclusive. They look in particular at how the war affects Kalush's economy and how "
            "both municipalities can improve their crisis preparedness. They want to engage young "
            "people more in society and use digital technology to communicate better with "
            "residents."
        ),
        "description_uk": (
            "Векше і Калуш прагнуть разом зробити лідерство та ухвалення рішень інклюзивнішими. "
            "Вони особливо розглядають, як війна впливає на економіку Калуша і як обидві громади "
            "можуть покращити свою готовність до криз. Вони хочуть більше залучати молодь до "
            "суспільного життя та використовувати цифрові технології для кращої комунікації з "
            "мешканцями."
        ),
    },
]
