# Sync: the administrators' page on fetching data from its publishers.
sync-title = Synk från källorna
sync-help = Utbildningar hämtas från Skolverkets Susa-navet, befolkningen från SCB och nyckeltal från Kolada. Här syns när varje källa senast hämtades, hur det gick och när det senast lyckades. Tider i UTC.
sync-schedule-off = Ingen schemalagd synk: kkig hämtar bara när någon kör kkig sync.
sync-schedule-on = Schemalagd synk { $hours ->
    [one] varje timme
   *[other] var { $hours }:e timme
}: { $sources }.
sync-source-offerings = Utbildningar (Susa-navet)
sync-source-population = Befolkning (SCB)
sync-source-kolada = Nyckeltal (Kolada)
sync-caption = Senaste körning per källa
sync-col-source = Källa
sync-col-last-run = Senaste körning
sync-col-result = Resultat
sync-col-summary = Vad som hände
sync-col-last-ok = Senast lyckad
sync-ok = Lyckades
sync-failed = Misslyckades
sync-never = Aldrig
sync-started = Har startat
sync-running-title = Pågår nu
sync-running-help = Sidan uppdateras av sig själv medan en hämtning pågår.
sync-refresh = Uppdatera
sync-running-times = Startade { $since }, senaste besked { $updated }.
sync-running-silent = Inget besked på över tio minuter: körningen kan ha avbrutits.
sync-how-title = Så hämtar du
sync-how = En hämtning skriver ingenting om någon sida inte kunde hämtas. Kör den från kommandoraden, eller låt servern hämta på ett schema (av som standard):
