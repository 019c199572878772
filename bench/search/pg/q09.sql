-- q09: text 'lärare', home 2421 Storuman, burden <= 1200 min/term; travel order.
SELECT o.id, b.burden, count(*) OVER () AS total
FROM offering o
CROSS JOIN websearch_to_tsquery('swedish', 'lärare') q
LEFT JOIN travel t ON t.from_k = '2421' AND t.to_k = o.meeting_kommunkod
CROSS JOIN LATERAL (SELECT CASE WHEN o.meeting_kommunkod IS NULL THEN 0
                                ELSE o.meetings_per_term * 2 * t.minutes END AS burden) b
WHERE o.doc @@ q AND b.burden <= 1200
ORDER BY b.burden NULLS LAST, o.title COLLATE "sv-SE-x-icu", o.id
LIMIT 20 OFFSET 0;
