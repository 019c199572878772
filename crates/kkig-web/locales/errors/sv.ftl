# Field errors on the pages (`err-` keys, see src/field_errors.rs): one message per kind of
# problem kkig-core reports (FieldProblem). $field is the field's label; the message starts
# with it. The English messages of the API and the CLI are made in kkig-core.

err-required = { $field } måste fyllas i.
err-required-kommunkod = { $field } måste fyllas i: en kommunkod, t.ex. 2422.
err-required-with = { $field } måste fyllas i när ”{ $other }” är ifylld.
err-required-when = { $field } måste fyllas i när ”{ $other }” är ”{ $value }”.
err-reason-when-no = { $field } måste fyllas i när platsen inte tar emot studenter den terminen.
err-too-long = { $field }: högst { $max } tecken.
err-not-a-number = { $field }: ”{ $value }” är inget tal. Skriv till exempel 87,5 eller 100.
err-not-a-whole-number = { $field }: ”{ $value }” är inget heltal.
err-below-zero = { $field }: { $value } är mindre än noll.
err-more-than = { $field }: högst { $max } (inte { $value }).
err-out-of-range = { $field }: { $value } ligger utanför { $min }–{ $max }.
err-age-out-of-range = { $field }: åldern { $age } ligger utanför { $min }–{ $max }.
err-negative = { $field }: skriv ett tal som är 0 eller större (inte { $value }).
err-employment-percent = { $field }: { $value } ligger utanför 0–100 (mer än 0, högst 100).
err-capacity-zero-when-no = { $field } ska vara 0 när platsen inte tar emot studenter den terminen.
err-capacity-at-least-one = { $field } ska vara minst 1 när platsen tar emot studenter.
err-not-a-flag = { $field }: ”{ $value }” är varken ja eller nej. Skriv ja eller nej, 1 eller 0, eller x.
err-bad-email = { $field }: ”{ $value }” är ingen e-postadress.
err-bad-date = { $field }: ”{ $value }” är inget datum. Skriv ÅÅÅÅ-MM-DD, till exempel 2025-01-31.
err-year-out-of-range = { $field }: året { $year } ligger utanför 1900–2199.
err-not-in-calendar = { $field }: ”{ $value }” finns inte i kalendern.
err-bad-term = { $field }: ”{ $value }” är ingen termin. Skriv till exempel VT2026 eller HT2026.
err-bad-kommunkod = { $field }: ”{ $value }” är ingen kommunkod. En kommunkod har fyra siffror, till exempel 2422.
err-unknown-county = { $field }: ”{ $value }” är ingen kommunkod; det finns inget län med kod { $county }.
err-unknown-kommunkod = { $field }: kommunkoden { $code } är ingen kommun som kkig känner till.
err-latitude = { $field }: latituden { $value } ligger utanför −90 till 90.
err-longitude = { $field }: longituden { $value } ligger utanför −180 till 180.
err-bad-id = { $field }: ”{ $value }” får ha högst 80 tecken och inga mellanslag, |, ;, /, ? eller #.
err-unknown = { $field }: ”{ $value }” { $noun ->
        [field] är inget område som kkig känner till.
        [university] är inget lärosäte som kkig känner till ({ $expected }).
       *[other] är inget av de möjliga värdena.
    }
err-no-site = { $field }: det finns ingen VFU-plats ”{ $id }”.
err-no-period = { $field }: det finns ingen VFU-period ”{ $id }”.
err-no-student = { $field }: det finns ingen student ”{ $id }”.
err-no-supervisor = { $field }: det finns ingen handledare ”{ $id }”.
err-wish-no-site = { $field }: det finns ingen VFU-plats ”{ $id }”. Ett önskemål är ett plats-id eller en kommunkod.
err-site-elsewhere = { $field }: platsen ligger i kommun { $in_municipality }, inte i { $not_in }.
err-no-site-fields = { $field }: ange minst ett område som platsen kan ta emot ({ $codes }).
err-no-supervisor-fields = { $field }: ange minst ett område ({ $codes }).
err-wrong-area = { $field }: { $kind } kan inte ta emot { $given }, som hör till { $area ->
        [teacher] lärarutbildningarna
        [nurse] sjuksköterskeutbildningen
        [social_work] socionomutbildningen
       *[other] { $area }
    }.
err-twice = { $field }: { $value } står två gånger.
err-subject-too-long = { $field }: ämnet ”{ $value }” är längre än 60 tecken.
err-bad-requirement = { $field }: ”{ $value }” är ingen kravkod. Använd bokstäver, siffror, _ eller -.
err-bad-course-code = { $field }: ”{ $value }” ska bestå av bokstäver och siffror, till exempel 6PE123.
err-end-before-start = { $field }: { $end } är före startdatumet { $start }.
err-longer-than-year = { $field }: perioden { $start } – { $end } är längre än ett år.
err-term-mismatch = { $field }: { $term } stämmer inte med startdatumet { $start }, som ligger i { $start_term }.
err-deadline-after-start = { $field }: { $deadline } är efter startdatumet { $start }.
err-not-period-field = { $field }: { $given } är inte periodens område ({ $period_field }).
err-too-many-wishes = { $field }: { $count } önskemål; högst tre.
err-new-placement-status = { $field }: en ny placering är begärd eller erbjuden, inte ”{ $value }”.
err-site-lacks-field = { $field }: platsen tar inte emot { $given }.
err-supervisor-elsewhere = { $field }: handledaren arbetar i en annan kommun än platsen.
err-waiting-not-active = { $field }: bara en pågående placering kan vänta på en bättre.
err-transition-not-allowed = { $field }: en placering kan inte gå från { $from ->
        [new] ny
       *[other] { $from }
    } till { $to }. Härifrån kan den gå till: { $allowed }.
err-nothing = ingenting (placeringen är avslutad)
err-before-last-step = { $field }: { $on } är före dagen då placeringen blev { $last } ({ $last_on }).
err-task-missing = { $field }: uppgiften saknas.
err-task-accountable = { $field }: exakt en roll ska ansvara (A).
err-task-no-responsible = { $field }: någon roll måste utföra uppgiften (R).
err-task-twice = { $field }: uppgiften finns två gånger.
err-email-unusable = { $field }: e-postadressen kan inte användas här.
err-email-of-account-holder = { $field }: personen har ett konto och ändrar själv sin e-postadress.
err-name-of-account-holder = { $field }: personen har ett konto och ändrar själv sitt namn.
err-supervisor-exists = { $field }: det finns redan en handledare med e-postadressen { $email }.
err-already-on-period = { $field }: { $email } finns redan på perioden { $period }.
err-student-on-period = { $field }: det finns redan en student med e-postadressen { $email } på perioden { $period }.
err-site-id-exists = { $field }: det finns redan en VFU-plats med id { $id }.
err-period-id-exists = { $field }: det finns redan en VFU-period med id { $id }.
err-site-has-placements = { $field }: VFU-platsen { $id } har { $count ->
        [one] en placering; återta eller flytta den
       *[other] { $count } placeringar; återta eller flytta dem
    } först.
err-period-has-students = { $field }: VFU-perioden { $id } har { $count ->
        [one] en student; ta bort den
       *[other] { $count } studenter; ta bort dem
    } först.
err-field-locked = { $field }: området kan inte ändras medan det finns studenter på perioden ({ $count }).
