-- q07: area teacher, form distance, start HT2026; order start, title (Swedish), id.
SELECT o.id, count(*) OVER () AS total
FROM offering o
WHERE o.areas @> ARRAY['teacher'] AND o.form = 'distance' AND o.start_term = 'HT2026'
ORDER BY o.start, o.title COLLATE "sv-SE-x-icu", o.id
LIMIT 20 OFFSET 0;
