# kkig, English: catalogue. The same keys are in catalogue/sv.ftl.

catalogue-title = Find education
catalogue-intro = Programmes and courses you can take without moving: choose your home municipality to see the travel per term to the mandatory meetings and your nearest learning centre.
search-q = Search (programme, course, town, provider)
search-home = Home municipality
search-any = All
search-area = Occupation area
search-school-type = School type
search-pace = Pace
search-pace-full = Full time
search-pace-part = Part time
search-form = Form of study
search-max-travel = Most travel per term
search-term = Start term
search-sort = Sort
search-sort-relevance = Relevance
search-sort-travel = Least travel
search-submit = Search
search-count = { $count } offerings
search-page = Page { $page } of { $pages }
search-prev = Previous
search-next = Next
search-none = No offerings match the search. Remove a filter or try another word.
search-errors = The search has errors:
search-bad-home = “{ $value }” is not a valid kommunkod (four digits, for example 2422).
search-bad-home-unknown = Kommunkod { $value } is not one of the municipalities in kkig.
search-bad-choice = “{ $value }” is not one of the choices. Pick one from the list.
search-bad-pace = “{ $value }” is not full time, part time or a percentage 1–100.
search-bad-minutes = “{ $value }” is not a number of minutes (0 or more).
search-needs-home = Choose a home municipality first.
search-bad-term = “{ $value }” is not a term like HT2026 or VT2027.
search-bad-page = “{ $value }” is not a page number (1 or more).
search-bad-per-page = “{ $value }” is not between 1 and 1000.
travel-limit = { $hours } h
travel-limit-none = No limit
travel-zero = No travel
area-teacher = Teacher
area-nurse = Nurse
area-social_work = Social work
school-type-hs = University
school-type-yh = Vocational higher education
school-type-komvux = Municipal adult education
school-type-fhsk = Folk high school
form-distance = Distance
form-campus = On campus
form-blended = Distance with meetings
offering-provider = Provider
offering-credits = Credits
offering-pace = Pace
offering-period = Period
offering-sites = Study site
offering-meetings = Mandatory meetings
offering-meetings-value = { $count } per term, { $days } { $days ->
        [one] day
       *[other] days
    } each, in { $place }
offering-meetings-none = None
offering-travel = Travel per term from { $home }
offering-travel-value = about { $hours ->
    [one] one hour
   *[other] { $hours } hours
} of travel a term
offering-travel-none = no travel
offering-apply-closed = closed on { $date }
offering-apply = Application
offering-apply-closes = closes { $date }
offering-apply-link = Apply
nearest-centre = Nearest learning centre from { $home }: { $name } in { $town }, { $minutes ->
    [0] in your municipality.
   *[other] { $hours ->
        [0] about { $minutes } minutes away.
        [one] about one hour away.
       *[other] about { $hours } hours away.
    }
}
export-csv = Download as CSV
export-xlsx = Download as Excel
export-ics = Application dates in your calendar (iCalendar)
catalogue-demo-note = The offerings here are demo data, not real starts.
pathway-title = Become a { $occupation } from { $municipality }
pathway-intro = First the programmes that lead to the occupation and its licence, least travel from { $municipality } first; then further education for those already licensed or qualified.
pathway-occupation-sjukskoterska = nurse
pathway-occupation-larare = teacher
pathway-occupation-socionom = social worker
pathway-none = No programme in the catalogue leads there at the moment.
pathway-vfu-heading = Placements (VFU) close to home
regional-title = Education within reach in the region
regional-intro = For each municipality: how many programmes leading to the shortage occupations can be taken with at most { $days } travel days per term.
regional-days = Most travel days per term
regional-show = Show
search-page-label = Page
pathway-entry-heading = Programmes that lead to the occupation
pathway-further-heading = Further education for those already licensed or qualified
pathway-further-intro = These programmes require that you already hold a licence or professional degree in the occupation.
pathway-further-tag = Requires a licence or professional degree
pathway-closed = Closed
pathway-start = starts { $date }
pathway-eligibility = Entry requirements
pathway-travel-none = No travel: there are no meetings on site.
pathway-travel-home = The meetings are in { $place }, where you live: no travel.
pathway-travel = { $meetings ->
    [one] One meeting
   *[other] { $meetings } meetings
} a term in { $place }: about { $hours ->
    [one] one hour
   *[other] { $hours } hours
} of travel and { $days ->
    [one] one day
   *[other] { $days } days
} away a term.
pathway-travel-unknown = The meetings are in { $place }; the travel time there is not known.
pathway-apply-open = Apply by { $date }.
pathway-apply-closed = Applications closed on { $date }. Ask { $provider } when you can apply next.
pathway-apply-unknown = The application deadline is not known: ask { $provider }.
pathway-centre-heading = Learning centre near you
pathway-centre-none = The catalogue knows no learning centre near you.
pathway-vfu-field-sjukskoterska = nursing students
pathway-vfu-field-larare = teacher students
pathway-vfu-field-socionom = social work students
pathway-vfu-counts = VFU (placement) is the work-based part of the programme. In { $home } { $at_home ->
    [one] one placement site takes
   *[other] { $at_home } placement sites take
} { $field }, { $trained } with a trained supervisor. Within { $minutes } minutes of travel: { $near } sites, { $near_trained } with a trained supervisor.
pathway-vfu-none = The VFU registry has no placement site for { $field } in { $home } or within { $minutes } minutes of travel yet.
pathway-vfu-demo = (Demo data.)
pathway-links = Other occupations from { $municipality }
become-intro = Choose the occupation and the municipality you live in, and kkig shows the programmes you can take from there, the travel, the learning centre and placements near you.
catalogue-regional-link = How many programmes can be taken from each municipality in the region?
offering-more-link = Read more
search-none-hint = Try fewer or other words, for example “nurse”, “preschool teacher” or “social work”, remove a filter, or choose above what you want to become and where you live.
pathway-need-heading = { $municipality } needs more
pathway-need-sjukskoterska = The forecast says { $municipality } needs to recruit { $count ->
    [0] no nurses
    [one] one nurse
   *[other] about { $count } nurses
} by { $year }.
pathway-need-larare = The forecast says { $municipality } needs to recruit { $count ->
    [0] no teachers
    [one] one teacher
   *[other] about { $count } teachers
} by { $year }.
pathway-need-socionom = The forecast says { $municipality } needs to recruit { $count ->
    [0] no social workers
    [one] one social worker
   *[other] about { $count } social workers
} by { $year }.
pathway-need-link = See the forecast
search-licence = Licence
search-level = Level
licence-leads = Leads to the occupation and its licence
licence-requires = Further education: requires a licence
level-first_cycle = First cycle
level-second_cycle = Second cycle
licence-tag-leads = Leads to the occupation
licence-tag-requires = Requires a licence or professional degree
search-to-results = To the results
search-try = Search instead for
