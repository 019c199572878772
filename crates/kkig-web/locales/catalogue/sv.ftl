# kkig, svenska: catalogue. Samma nycklar finns i catalogue/en.ftl.

catalogue-title = Hitta utbildning
catalogue-intro = Program och kurser du kan läsa utan att flytta: välj hemkommun för att se resbördan per termin till de obligatoriska träffarna och ditt närmaste lärcentrum.
search-q = Sök (program, kurs, ort, anordnare)
search-home = Hemkommun
search-any = Alla
search-area = Yrkesområde
search-school-type = Skolform
search-pace = Studietakt
search-pace-full = Heltid
search-pace-part = Deltid
search-form = Studieform
search-max-travel = Högst restid per termin
search-term = Terminsstart
search-sort = Sortera
search-sort-relevance = Relevans
search-sort-travel = Minst resor
search-submit = Sök
search-count = { $count } utbildningar
search-page = Sida { $page } av { $pages }
search-prev = Föregående
search-next = Nästa
search-none = Inga utbildningar matchar sökningen. Ta bort något filter eller pröva ett annat ord.
search-errors = Sökningen har fel:
search-bad-home = ”{ $value }” är ingen giltig kommunkod (fyra siffror, till exempel 2422).
search-bad-home-unknown = Kommunkod { $value } finns inte bland kommunerna i kkig.
search-bad-choice = ”{ $value }” är inget av alternativen. Välj i listan.
search-bad-pace = ”{ $value }” är varken heltid, deltid eller en procentsats 1–100.
search-bad-minutes = ”{ $value }” är inget antal minuter (0 eller fler).
search-needs-home = Välj en hemkommun först.
search-bad-term = ”{ $value }” är ingen termin som HT2026 eller VT2027.
search-bad-page = ”{ $value }” är inget sidnummer (1 eller högre).
search-bad-per-page = ”{ $value }” ligger inte mellan 1 och 1000.
travel-limit = { $hours } h
travel-limit-none = Ingen gräns
travel-zero = Inga resor
area-teacher = Lärare
area-nurse = Sjuksköterska
area-social_work = Socialt arbete
school-type-hs = Högskola
school-type-yh = Yrkeshögskola
school-type-komvux = Komvux
school-type-fhsk = Folkhögskola
form-distance = Distans
form-campus = På campus
form-blended = Distans med träffar
offering-provider = Anordnare
offering-credits = Omfattning
offering-pace = Takt
offering-period = Period
offering-sites = Studieort
offering-meetings = Obligatoriska träffar
offering-meetings-value = { $count } per termin, { $days } { $days ->
        [one] dag
       *[other] dagar
    } var, i { $place }
offering-meetings-none = Inga
offering-travel = Resor per termin från { $home }
offering-travel-value = cirka { $hours ->
    [one] en timmes
   *[other] { $hours } timmars
} resor per termin
offering-travel-none = inga resor
offering-apply-closed = stängde { $date }
offering-apply = Ansökan
offering-apply-closes = sista dag { $date }
offering-apply-link = Till ansökan
nearest-centre = Närmaste lärcentrum från { $home }: { $name } i { $town }, { $minutes ->
    [0] i din kommun.
   *[other] { $hours ->
        [0] cirka { $minutes } minuter bort.
        [one] cirka en timme bort.
       *[other] cirka { $hours } timmar bort.
    }
}
export-csv = Ladda ner som CSV
export-xlsx = Ladda ner som Excel
export-ics = Ansökningsdatum i kalendern (iCalendar)
catalogue-demo-note = Utbildningarna här är demodata och inte verkliga tillfällen.
pathway-title = Bli { $occupation } från { $municipality }
pathway-intro = Först utbildningarna som leder till yrket och legitimationen, med minst resor från { $municipality } först; sedan vidareutbildning för dig som redan har legitimation eller yrkesexamen.
pathway-occupation-sjukskoterska = sjuksköterska
pathway-occupation-larare = lärare
pathway-occupation-socionom = socionom
pathway-none = Inga program i katalogen leder dit just nu.
pathway-vfu-heading = VFU på hemmaplan
regional-title = Utbildning inom räckhåll i regionen
regional-intro = För varje kommun: hur många program som leder till bristyrkena som går att läsa med högst { $days } resdagar per termin.
regional-days = Högst resdagar per termin
regional-show = Visa
search-page-label = Sida
pathway-entry-heading = Utbildningar som leder till yrket
pathway-further-heading = Vidareutbildning för dig som redan har legitimation eller yrkesexamen
pathway-further-intro = De här utbildningarna kräver att du redan är legitimerad eller har yrkesexamen inom yrket.
pathway-further-tag = Kräver legitimation eller yrkesexamen
pathway-closed = Stängd
pathway-start = start { $date }
pathway-eligibility = Behörighet
pathway-travel-none = Inga resor: du träffas inte på plats.
pathway-travel-home = Träffarna är i { $place }, där du bor: inga resor.
pathway-travel = { $meetings ->
    [one] En träff
   *[other] { $meetings } träffar
} per termin i { $place }: cirka { $hours ->
    [one] en timmes
   *[other] { $hours } timmars
} resor och { $days ->
    [one] en dag
   *[other] { $days } dagar
} borta per termin.
pathway-travel-unknown = Träffarna är i { $place }; restiden dit är inte känd.
pathway-apply-open = Sista ansökningsdag { $date }.
pathway-apply-closed = Ansökan stängde { $date }. Fråga { $provider } när du kan söka nästa gång.
pathway-apply-unknown = Ansökningsdagen är inte känd: fråga { $provider }.
pathway-centre-heading = Lärcentrum nära dig
pathway-centre-none = Det finns inget lärcentrum i katalogens uppgifter nära dig.
pathway-vfu-field-sjukskoterska = sjuksköterskestudenter
pathway-vfu-field-larare = lärarstudenter
pathway-vfu-field-socionom = socionomstudenter
pathway-vfu-counts = VFU (verksamhetsförlagd utbildning) är praktiken i utbildningen. I { $home } tar { $at_home ->
    [one] en VFU-plats
   *[other] { $at_home } VFU-platser
} emot { $field }, { $trained } med utbildad handledare. Inom { $minutes } minuters resa: { $near } platser, { $near_trained } med utbildad handledare.
pathway-vfu-none = VFU-registret har ännu ingen VFU-plats för { $field } i { $home } eller inom { $minutes } minuters resa.
pathway-vfu-demo = (Demodata.)
pathway-links = Andra yrken från { $municipality }
become-intro = Välj yrket och kommunen du bor i, så visar kkig utbildningarna du kan läsa därifrån, resorna, lärcentrum och VFU nära dig.
catalogue-regional-link = Hur många program kan man läsa från varje kommun i regionen?
offering-more-link = Läs mer
search-none-hint = Prova färre eller andra ord, till exempel ”sjuksköterska”, ”förskollärare” eller ”socionom”, ta bort ett filter, eller välj ovan vad du vill bli och var du bor.
pathway-need-heading = { $municipality } behöver fler
pathway-need-sjukskoterska = Enligt prognosen behöver { $municipality } rekrytera { $count ->
    [0] inga sjuksköterskor
    [one] en sjuksköterska
   *[other] cirka { $count } sjuksköterskor
} fram till { $year }.
pathway-need-larare = Enligt prognosen behöver { $municipality } rekrytera { $count ->
    [0] inga lärare
    [one] en lärare
   *[other] cirka { $count } lärare
} fram till { $year }.
pathway-need-socionom = Enligt prognosen behöver { $municipality } rekrytera { $count ->
    [0] inga socionomer
    [one] en socionom
   *[other] cirka { $count } socionomer
} fram till { $year }.
pathway-need-link = Se prognosen
search-licence = Legitimation
search-level = Nivå
licence-leads = Leder till yrket och legitimationen
licence-requires = Vidareutbildning: kräver legitimation
level-first_cycle = Grundnivå
level-second_cycle = Avancerad nivå
licence-tag-leads = Leder till yrket
licence-tag-requires = Kräver legitimation eller yrkesexamen
search-to-results = Till resultaten
search-try = Sök i stället på
