# Sync: the administrators' page on fetching data from its publishers.
sync-title = Sync from the sources
sync-help = Education offerings come from Skolverket's Susa-navet, the population from SCB and key figures from Kolada. This page shows when each source was last fetched, how it went and when it last succeeded. Times in UTC.
sync-schedule-off = No scheduled sync: kkig fetches only when someone runs kkig sync.
sync-schedule-on = Scheduled sync every { $hours ->
    [one] hour
   *[other] { $hours } hours
}: { $sources }.
sync-source-offerings = Education offerings (Susa-navet)
sync-source-population = Population (SCB)
sync-source-kolada = Key figures (Kolada)
sync-caption = Last run per source
sync-col-source = Source
sync-col-last-run = Last run
sync-col-result = Result
sync-col-summary = What happened
sync-col-last-ok = Last success
sync-ok = Succeeded
sync-failed = Failed
sync-never = Never
sync-started = Started
sync-running-title = Running now
sync-running-help = The page refreshes itself while a sync runs.
sync-refresh = Refresh
sync-running-times = Started { $since }, last word { $updated }.
sync-running-silent = No word for over ten minutes: the run may have stopped.
sync-how-title = How to fetch
sync-how = A sync writes nothing when any page could not be fetched. Run it from the command line, or let the server fetch on a schedule (off by default):
