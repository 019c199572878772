-- q08: home 2521 Pajala, form distance; travel order (burden, unknown last; title; id).
SELECT o.id, b.burden, count(*) OVER () AS total
FROM offering o
LEFT JOIN travel t ON t.from_k = '2521' AND t.to_k = o.meeting_kommunkod
CROSS JOIN LATERAL (SELECT CASE WHEN o.meeting_kommunkod IS NULL THEN 0
                                ELSE o.meetings_per_term * 2 * t.minutes END AS burden) b
WHERE o.form = 'distance'
ORDER BY b.burden NULLS LAST, o.title COLLATE "sv-SE-x-icu", o.id
LIMIT 20 OFFSET 0;
