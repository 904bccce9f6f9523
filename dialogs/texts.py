"""Swedish texts the bot says outside a particular flow."""

WELCOME = (
    "Hej! Jag är KAA-assistenten. Jag hjälper dig att hålla koll på ungdomarna i "
    "det kommunala aktivitetsansvaret: registrera, dokumentera kontakter och insatser, "
    "och påminna dig om uppföljningar. Skriv **hjälp** så berättar jag vad jag kan."
)

HELP = (
    "**Det här kan jag hjälpa dig med**\n\n"
    "- **registrera** – registrera en ungdom i aktivitetsansvaret\n"
    "- **logga kontakt** – dokumentera en kontakt eller ett kontaktförsök\n"
    "- **visa** *namn* – visa ett ärende, till exempel *visa Elin*\n"
    "- **kartläggning** och **samtycke** – ungdomens plan och samtycke\n"
    "- **ny insats**, **avsluta insats**, **utvärdera insats**\n"
    "- **hembesök** – planera ett hembesök eller dokumentera hur det gick\n"
    "- **sysselsättning** – vad ungdomen gör just nu\n"
    "- **avsluta ärende** – avregistrera en ungdom, alltid med orsak\n"
    "- **skriv brev** – kontaktbrev, påminnelsebrev, hembesöksbrev, information eller "
    "samtyckesblankett som PDF, för en ungdom eller alla nya\n"
    "- **ändra** *namn* – rätta något som är sparat: telefon, adress, vårdnadshavare, en "
    "kontakt, en insats …; det gamla finns kvar i historiken\n"
    "- **ta bort** *namn* – ta bort en felregistrerad uppgift, till exempel en dubblett\n"
    "- **vad har jag idag?**, **försenade**, **vilka har jag inte nått?**, **mina ärenden**, "
    "**nya denna vecka**, **vilka fyller 20 snart?**, **hur många är inskrivna?** – "
    "snabba svar\n"
    "- **nyckeltal** (t.ex. *nyckeltal 2026-03*, *nyckeltal 2025/26 excel*), **scb** och "
    "**granskning** (*granskning 2026H1*: alla ärenden under halvåret, även avslutade) "
    "– rapporter\n"
    "- **fördela** – ärenden utan handläggare; **ta ärende** *12* eller *Elin*, "
    "**tilldela** *Elin till Anna*\n"
    "- **överlämna mina ärenden till** *Anna* – alla eller de du väljer\n"
    "- **arbetsfördelning** – för chefer: ärenden och påminnelser per handläggare\n"
    "- **lägg till handläggare** och **avaktivera** *namn* – för administratörer: personal "
    "som börjar och slutar\n"
    "- **hjälp rutin** – kommunens rutin för påminnelserna (administratörer ändrar den "
    "med **rutin namn=värde**)\n"
    "- **scb perioder** – SCB-halvårens sista dagar och kodlistor (administratörer anger "
    "SCB:s datum med **scb datum 2027H1 2027-09-13**)\n"
    "- Eller skriv som du pratar, till exempel *ringde Elin igår men fick inget svar* eller "
    "*hembesök hos Leo på fredag med Anna* – jag fyller i det jag förstår och frågar efter "
    "resten\n"
    "- **hjälp** – visa den här texten\n"
    "- **avbryt** – avbryt det vi håller på med\n\n"
    "Mitt i en fråga kan du skriva **hjälp** för att få veta vad jag behöver."
)

NOT_STAFF = (
    "Hej! Du finns inte registrerad som personal i KAA-assistenten, så jag kan inte visa "
    "eller spara något åt dig. Be din administratör lägga till dig med ditt id: {aad_id}"
)

GREETING = "Hej! Vad vill du göra? Skriv **hjälp** om du vill se allt jag kan."

THANKS = "Varsågod! Säg till om det är något mer."

NO_CASES = "Du har inga aktiva ärenden tilldelade just nu."

NOT_UNDERSTOOD = "Det där förstod jag inte. Skriv **hjälp** för att se vad jag kan, eller välj:"

CANCELLED = "Okej, jag avbröt. Inget av det du skrev sparades."

NOTHING_TO_CANCEL = "Vi håller inte på med något just nu."

SOMETHING_WENT_WRONG = (
    "Oj, något gick fel hos mig. Det du skrivit hittills finns kvar – försök igen om en stund."
)

MAIN_SUGGESTIONS = ("registrera", "logga kontakt", "visa", "hjälp")

BUSY = (
    "Vi håller på med **{title}**. Svara på frågan nedan, eller skriv **avbryt** om du vill "
    "göra något annat först."
)

BACK_TO = "Nu fortsätter vi med **{title}**:"

CHANNEL_ONLY_HELP = (
    "Här i kanalen visar jag inga personuppgifter. Skriv till mig i vår 1:1-chatt för att "
    "registrera och dokumentera."
)

ALREADY_SAVED = "Det är redan sparat – jag sparade det bara en gång."
ALREADY_ANSWERED = "Det här har jag redan tagit emot och svarat på."

CHANNEL_HELP = (
    "**KAA-assistenten i kanalen**\n\n"
    "Här i kanalen visar jag bara sammanställningar utan personuppgifter: "
    "veckoöversikten varje måndag och nya ungdomar som inte har någon handläggare. "
    "Allt som rör en enskild ungdom gör du i vår 1:1-chatt – skriv till mig där."
)
