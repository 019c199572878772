-- q10: everything, page 1; order start, title (Swedish), id.
SELECT o.id, count(*) OVER () AS total
FROM offering o
ORDER BY o.start, o.title COLLATE "sv-SE-x-icu", o.id
LIMIT 20 OFFSET 0;
