"""The words a coordinator uses when telling what they did, and what each one means.

One table from a meaning (a field and its value) to the phrases that say it, written the way
people type them; `dialogs.sentence` folds å/ä/ö and matches the longest phrase first, so
"fick inte tag på" wins over "fick tag på". A phrase may carry several meanings ("träffade":
the channel is a meeting, and the youth was reached). A trailing * matches any ending.

Fields: channel, outcome, reached (an outcome the verb implies, weaker than a said one),
counterpart, occupation (a noun that needs a verb of being or starting, "går på komvux"),
working (an occupation said by the verb alone, "jobbar"), state (such a verb), extent,
measure (a measure type), offer (the answer to an offered measure), visit (how a home visit
went), and cue: contact, home (a home visit), offered (a measure), measure (the word
insats), plan (planned ahead), done (carried out), wish (something wanted, not yet true),
stopped (no longer true), many (several youths at once), notice (the home visit was
announced).
"""

from __future__ import annotations

# fmt: off
VOCABULARY: dict[tuple[str, str], tuple[str, ...]] = {
    ("channel", "telefon"): (
        "ringde", "ringt", "ringa", "ringde upp", "uppringd", "telefon", "telefonen",
        "tel", "tele", "telefonsamtal", "samtal i telefon", "mobilen", "luren", "ringde tillbaka",
        "ringde mig", "ringde upp mig", "ringde till mig",
    ),
    ("channel", "sms"): (
        "sms", "sms:et", "smset", "sms:ade", "smsade", "sms:at", "smsat", "sms:a", "smsa",
        "sms-ade", "sms:ar", "smsar", "sms:en", "smsen", "textade", "textat", "messade",
        "messat", "sms:ade tillbaka", "svarade på sms", "svarade på sms:et",
    ),
    ("channel", "epost"): (
        "mejl", "mejlet", "mejlade", "mejlat", "mejla", "mejlar", "mail", "mailet", "mailade",
        "mailat", "maila", "mailar", "e-post", "epost", "e-postade", "epostade", "e-postat",
        "e-mail", "email", "mejlen", "mailen", "svarade på mejlet", "svarade på mejl",
        "svarade på mailet",
    ),
    ("channel", "brev"): (
        "brev", "brevet", "breven", "ett brev", "kallelse", "kallelsen", "skickade ut brev",
    ),
    ("channel", "mote"): (
        "träffade", "träffat", "träffades", "träffats", "träff", "möte", "mötet", "mötte",
        "möttes", "mött", "besök", "besöket", "besökte", "på kontoret", "till kontoret", "kontoret",
        "hade möte", "hade ett möte", "hade möte med", "hade ett möte med",
        "kom förbi", "kom in", "kom hit", "fika", "fikade", "fikat", "sågs", "setts", "på plats",
        "personligen", "samtal på kontoret",
    ),
    ("channel", "digitalt_mote"): (
        "teams", "via teams", "på teams", "teamsmöte", "teamsmötet", "teams-möte", "videomöte",
        "video", "videosamtal", "zoom", "digitalt", "digitalt möte", "digital", "facetime",
        "möte på teams", "möte via teams", "digitalt möte via teams",
    ),
    ("reached", "nadd"): (
        "träffade", "träffat", "träffades", "träffats", "mötte", "möttes", "mött", "besökte",
        "kom förbi", "kom in", "kom hit", "fikade", "fikat", "sågs", "setts", "pratade",
        "pratat", "pratades vid", "talade", "talat", "snackade", "snackat", "hade kontakt med",
        "hörde av sig", "hörde av sej", "ringde tillbaka", "hade möte", "hade ett möte",
        "hade möte med", "hade ett möte med", "ringde mig", "ringde upp mig", "ringde till mig",
    ),
    ("cue", "contact"): (
        "pratade", "pratat", "pratades vid", "talade", "talat", "snackade", "snackat",
        "kontaktade", "kontaktat", "hade kontakt med", "fick kontakt med", "fick tag på",
        "fick tag i", "nådde", "nått", "försökte nå", "hörde av mig", "hörde av sig",
        "hörde av sej", "ringde tillbaka", "ringde mig", "ringde upp mig", "ringde till mig",
        "nådde inte", "nådde ej", "fick inte tag på",
        "fick inte tag i", "fick inte kontakt", "kunde inte nå", "lyckades inte nå",
        "lyckades inte få tag på", "kunde inte få tag på",
    ),
    ("outcome", "nadd"): (
        "fick tag på", "fick tag i", "fick tag", "fick kontakt", "fick kontakt med", "nådde",
        "nått", "nådd", "fick svar", "svarade", "svarat", "svarar", "svarade direkt",
        "hon svarade", "han svarade", "få tag på", "lyckades nå", "hörde av sig", "hörde av sej",
        "ringde tillbaka", "sms:ade tillbaka", "svarade på sms", "svarade på mejlet",
    ),
    ("outcome", "ej_nadd"): (
        "inget svar", "ingen svarade", "svarade inte", "svarar inte", "svarade ej", "svarar ej",
        "ej svar", "utan svar", "fick inget svar", "fick inte svar", "fick inte tag på",
        "fick inte tag i", "fick inte tag", "fick inte kontakt", "nådde inte", "nådde ej",
        "ej nådd", "inte nådd", "ej nådda", "gick inte fram", "upptaget", "upptagen",
        "röstbrevlåda", "röstbrevlådan", "telefonsvarare", "telefonsvararen", "talade in",
        "talade in meddelande", "lämnade meddelande", "lämnade ett meddelande", "kom inte",
        "dök inte upp", "dök aldrig upp", "uteblev", "kom aldrig", "svarade aldrig",
        "har inte svarat", "inte svarat", "ej svarat", "har inte hört av sig",
        "hörde inte av sig", "hörde aldrig av sig", "avvaktar svar", "väntar på svar",
        "ej anträffbar", "inte anträffbar", "stängd telefon", "telefonen avstängd",
        "nummer saknas", "fel nummer", "kom inte fram", "ingen kontakt", "inte nått",
        "ej nått", "har inte nått", "lyckades inte nå", "kunde inte nå", "inte få tag på",
        "lyckades inte få tag på", "kunde inte få tag på",
    ),
    ("outcome", "avboejer"): (
        "vill inte", "ville inte", "tackade nej", "tackar nej", "avböjer", "avböjde", "avböjt",
        "inte intresserad", "ointresserad", "säger nej", "sa nej", "sade nej", "avstår",
        "vill inte ha kontakt", "vill inte ha hjälp", "vill inte ha stöd", "behöver ingen hjälp",
        "behöver inget stöd", "behöver inte hjälp", "vill klara sig själv", "nej tack",
        "vill inte ha något", "vill inte ha nåt", "inte vill", "inte ville", "inte vill ha",
        "inte är intresserad", "inte var intresserad", "inte behöver", "inte behövde",
    ),
    ("outcome", "infoblad"): (
        "infoblad", "infobladet", "informationsblad", "informationsbladet", "lämnade infoblad",
        "lämnade lapp", "lämnade en lapp", "lapp i brevlådan", "lappen i brevlådan",
    ),
    ("counterpart", "vardnadshavare"): (
        "mamma", "mamman", "pappa", "pappan", "morsan", "farsan", "förälder", "föräldern",
        "föräldrar", "föräldrarna", "vårdnadshavare", "vårdnadshavaren", "vårdnadshavarna",
        "vh", "styvpappa", "styvpappan", "styvmamma", "styvmamman", "bonuspappa",
        "bonusmamma", "god man", "gode man", "gode mannen", "familjen", "mamma och pappa",
    ),
    ("counterpart", "skola"): (
        "skolan", "skola", "mentor", "mentorn", "mentorer", "rektor", "rektorn", "kurator",
        "kuratorn", "syv", "syv:en", "syven", "studievägledare", "studievägledaren",
        "studie- och yrkesvägledare", "studie och yrkesvägledaren", "lärare", "läraren",
        "klassföreståndare", "klassföreståndaren", "elevhälsan", "med gymnasiet",
        "gymnasieskolan", "skolans", "skolsköterskan",
    ),
    ("counterpart", "annan_aktor"): (
        "arbetsförmedlingen", "af", "arbetsförmedlare", "arbetsförmedlaren", "soc",
        "socialtjänsten", "socialsekreterare", "socialsekreteraren", "försäkringskassan",
        "fk", "med komvux", "med folkhögskolan", "jobbtorget", "fritidsgården", "handledare",
        "handledaren", "praktikhandledaren", "arbetsgivaren", "arbetsgivare", "chefen",
        "boendet", "boendepersonalen",
    ),
    ("counterpart", "ungdomen"): ("ungdomen", "eleven", "killen", "tjejen", "grabben", "själv"),
    ("occupation", "arbete"): (
        "jobb", "jobbet", "ett jobb", "jobba", "arbete", "arbetet", "ett arbete", "arbeta",
        "anställning", "anställd", "anställning på", "sommarjobb", "extrajobb", "timanställd",
        "timjobb", "deltidsjobb", "heltidsjobb", "fast jobb", "visstidsanställd",
        "provanställd", "provanställning",
    ),
    ("working", "arbete"): (
        "jobbar", "arbetar", "jobbar nu", "arbetar nu", "har jobb", "har fått jobb", "fått jobb",
        "fick jobb", "fått ett jobb", "fick ett jobb", "har ett jobb", "har fått anställning",
        "fått anställning", "fick anställning", "sommarjobbar", "extrajobbar",
    ),
    ("occupation", "praktik"): (
        "praktik", "praktiken", "praktikplats", "praktikplatsen", "en praktik",
        "arbetsträning", "arbetsträningen",
    ),
    ("working", "praktik"): ("praktiserar", "har praktik", "fått praktik", "fick praktik"),
    ("occupation", "studier_komvux"): (
        "komvux", "vuxenutbildning", "vuxenutbildningen", "komvuxkurs", "en komvuxkurs",
        "komvux-kurs", "kurser på komvux", "kurs på komvux",
    ),
    ("occupation", "studier_folkhogskola"): (
        "folkhögskola", "folkhögskolan", "folkis", "folkhögskolekurs", "allmän kurs",
    ),
    ("occupation", "studier_nationellt"): (
        "gymnasiet", "gymnasium", "nationellt program", "nationella programmet",
        "ett nationellt program", "gymnasieprogram", "el-programmet", "elprogrammet",
        "byggprogrammet", "naturprogrammet", "samhällsprogrammet", "fordonsprogrammet",
        "vård- och omsorgsprogrammet", "barn- och fritidsprogrammet", "tillbaka i skolan",
        "tillbaka till skolan", "tillbaka på gymnasiet", "börjat skolan igen",
    ),
    ("occupation", "studier_introduktion"): (
        "introduktionsprogram", "introduktionsprogrammet", "introduktionsprogrammen",
        "språkintroduktion", "språkintro", "yrkesintroduktion", "yrkesintro",
        "individuellt alternativ", "programinriktat val", "im", "im-programmet",
    ),
    ("occupation", "studier_annan"): (
        "utbildning", "utbildningen", "en utbildning", "yrkeshögskola", "yrkeshögskolan", "yh",
        "universitet", "universitetet", "högskola", "högskolan", "en kurs", "kursen",
    ),
    ("occupation", "ingen"): (
        "inget jobb", "utan jobb", "arbetslös", "ingen sysselsättning", "sysslolös",
        "gör ingenting", "gör inget", "gör inte nåt", "gör inte något", "sitter hemma",
        "går hemma", "är hemma hela dagarna",
    ),
    ("occupation", "utomlands"): (
        "utomlands", "i utlandet", "flyttat utomlands", "har flyttat utomlands",
        "flyttade utomlands", "åkt utomlands", "har åkt utomlands", "bor utomlands",
        "är utomlands",
    ),
    ("occupation", "atgard_annan_aktor"): (
        "inskriven på arbetsförmedlingen", "inskriven hos arbetsförmedlingen",
        "inskriven på af", "inskriven hos af", "är inskriven på arbetsförmedlingen",
        "är inskriven hos arbetsförmedlingen", "är inskriven på af", "är inskriven hos af",
    ),
    ("state", "now"): (
        "går på", "går i", "läser på", "läser", "studerar", "studerar på", "studerar vid",
        "pluggar", "pluggar på", "har börjat", "har börjat på", "har börjat med",
        "började", "började på", "började med", "börjat", "börjat på", "börjat med",
        "är på", "är i", "är", "har", "har fått", "fått", "fick", "har kommit in på",
        "kommit in på", "kom in på", "fått plats på", "fick plats på", "har fått plats på",
        "är inskriven på", "är inskriven vid", "gör", "håller på med", "kör", "tillbaka på",
        "tillbaka i", "nu på", "numera på",
    ),
    ("extent", "100"): ("heltid", "på heltid", "100 %", "100%", "100 procent"),
    ("extent", "50"): ("halvtid", "på halvtid", "50 %", "50%", "50 procent"),
    ("extent", "75"): ("75 %", "75%", "75 procent"),
    ("extent", "25"): ("25 %", "25%", "25 procent"),
    ("measure", "syv"): (
        "syv-samtal", "syvsamtal", "samtal med syv", "studie- och yrkesvägledning",
        "studie och yrkesvägledning", "studievägledning", "vägledning", "vägledningssamtal",
        "yrkesvägledning",
    ),
    ("measure", "motiverande_samtal"): (
        "motiverande samtal", "mi-samtal", "misamtal", "motivationssamtal", "stödsamtal",
        "samtalsstöd",
    ),
    ("measure", "praktik"): ("praktik", "praktikplats", "en praktikplats", "en praktik"),
    ("measure", "studier_introduktion"): ("introduktionsprogram", "språkintro"),
    ("measure", "studier_komvux"): ("komvux", "studier på komvux", "en komvuxkurs"),
    ("measure", "folkhogskola"): ("folkhögskola", "folkhögskolan", "plats på folkhögskola"),
    ("measure", "arbetsmarknadsinsats"): (
        "arbetsmarknadsinsats", "arbetsmarknadsinsatsen", "jobbspår", "jobbspåret",
        "arbetsträning", "feriejobb", "ungdomsjobb", "jobbcoach", "jobbcoachning",
    ),
    ("offer", "nej"): (
        "tackade nej", "tackar nej", "avböjde", "avböjer", "ville inte", "vill inte",
        "sa nej", "sade nej", "nej tack", "inte intresserad", "ointresserad",
    ),
    ("offer", "ja"): (
        "tackade ja", "tackar ja", "sa ja", "sade ja", "nappade", "accepterade", "vill gärna",
        "ville gärna", "tyckte det lät bra", "är intresserad", "var intresserad",
    ),
    ("cue", "offered"): (
        "erbjöd", "erbjudit", "erbjuden", "erbjudits", "erbjöds", "erbjuder", "erbjudande",
        "erbjudandet", "föreslog", "föreslagit",
    ),
    ("cue", "measure"): ("insats", "insatsen", "en insats", "ny insats"),
    ("cue", "home"): (
        "hembesök", "hembesöket", "hembesöka", "hembesökte", "hembesökt", "hemma hos",
        "på hembesök", "ett hembesök",
    ),
    ("cue", "plan"): (
        "planera", "planerar", "planerat", "planerad", "planerade", "bokat", "bokade", "bokar",
        "ska", "skall", "kommer att", "ska göra", "ska åka", "ska gå", "tänker", "måste",
        "behöver", "borde", "bör", "glöm inte", "glöm inte att", "kom ihåg", "kom ihåg att",
        "påminn mig", "påminn mig att", "dags att", "tänk på att",
    ),
    ("cue", "done"): (
        "gjorde", "gjort", "var på", "var hos", "åkte", "åkt", "åkte ut", "åkte hem till",
        "var hemma hos", "besökte", "knackade",
    ),
    ("visit", "traffad"): (
        "träffade", "träffat", "var hemma", "öppnade", "släppte in", "fick komma in", "pratade",
        "pratat", "träffad",
    ),
    ("visit", "ej_hemma"): (
        "ingen hemma", "inte hemma", "ej hemma", "ingen öppnade", "öppnade inte", "ingen där",
        "infoblad", "lämnade infoblad", "lämnade lapp", "lämnade en lapp", "lapp i brevlådan",
        "lappen i brevlådan", "informationsblad",
    ),
    ("visit", "fel_adress"): (
        "fel adress", "flyttat", "har flyttat", "bor inte kvar", "bor inte där",
        "okänd på adressen", "bodde inte där", "bor inte längre där",
    ),
    ("cue", "wish"): (
        "vill", "ville", "ska", "skall", "skulle", "funderar", "funderar på", "tänker",
        "planerar", "hoppas", "drömmer", "drömmer om", "söker", "sökt", "sökte", "har sökt",
        "kanske", "önskar", "siktar", "siktar på", "överväger", "intresserad av", "vill börja",
        "vill gå", "vill läsa", "ska börja", "ska gå",
    ),
    ("cue", "stopped"): (
        "slutat", "slutade", "har slutat", "hoppat av", "hoppade av", "har hoppat av", "avbrutit",
        "avbröt", "har avbrutit", "lämnat", "lämnade", "blev av med", "sagt upp", "sa upp",
        "fick sluta", "förlorat", "inte längre", "inte kvar",
    ),
    ("cue", "many"): ("alla", "samtliga", "allihop", "alla nya", "de nya"),
    ("cue", "notice"): (
        "aviserat", "aviserade", "avisering skickad", "aviseringen skickad",
        "aviseringen är skickad", "avisering är skickad", "har aviserat", "aviseringen skickades",
    ),
}
# fmt: on

# Words that carry no content of their own: a clause made only of these and understood words
# leaves no note, and none of them is ever taken for a name.
# fmt: off
FILLERS = frozenset({
    "jag", "vi", "han", "hon", "hen", "de", "dem", "den", "det", "en", "ett", "men", "och",
    "eller", "med", "till", "i", "pa", "om", "av", "at", "att", "som", "hade", "var", "ar",
    "blev", "upp", "igen", "nu", "precis", "just", "ocksa", "aven", "sen", "sedan", "direkt",
    "hos", "via", "per", "genom", "hennes", "hans", "deras", "sin", "sitt", "sina", "mig",
    "mej", "oss", "dig", "ihop", "tillsammans", "ang", "angaende", "gallande", "kring",
    "rorande", "forsokte", "forsoker", "forsokt", "skickade", "skickat", "skickar", "skrev",
    "skrivit", "kontakt", "ut", "fran", "kl", "klockan", "ok", "okej", "sa", "sade", "sagt",
    "dar", "nar", "dock", "tyvarr", "bara", "anda", "ju", "val", "lite", "efter", "innan",
    "under", "for", "idag", "tillbaka", "hem", "kvall", "morse", "fm", "em", "ngn", "nagon",
    "nagot", "nat", "gang", "ganger", "forst", "sist", "senare", "tidigare",
    "trots", "fast", "da", "sej", "sig", "lyckades", "hej", "ja", "nej", "ha", "hjalp", "stod",
    "stodet", "nagra", "kontakten", "annu", "sysselsattning", "nyss", "henne", "honom",
    "heller", "an", "tva", "tre", "flera",
})
# fmt: on

# Meanings whose phrases must be typed right: short everyday words a typo would turn into
# other words ("lager" is not "läser").
EXACT_ONLY = frozenset(
    {("state", "now")}
    | {("cue", cue) for cue in ("wish", "stopped", "plan", "done", "many", "notice")}
)
# Words before a name that make it the subject of the talk, not the one talked to.
ABOUT = frozenset({"om", "angaende", "ang", "gallande", "rorande", "kring"})
# Words after a counterpart that make the following name its owner ("mamman till Elin").
OWNER = frozenset({"till", "at", "for"})
# Words after which a youth's name is expected, even one that is also an ordinary word
# ("hos ville": Ville).
BEFORE_NAME = frozenset({"hos", "med", "till", "at", "om", "angaende", "ang", "for"})
# A message starting with one of these asks something; it reports nothing.
QUESTION_WORDS = frozenset({"nar", "vad", "vem", "vilka", "vilken", "vilket", "hur", "varfor"})
# Words that split a sentence into clauses for the note.
CLAUSE_WORDS = frozenset({"men", "och"})
