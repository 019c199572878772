-- q06: text 'sjuksköterska', home 2422 Sorsele, burden <= 600 min/term, relevance order.
SELECT o.id, ts_rank(o.doc, q) AS score, count(*) OVER () AS total
FROM offering o
CROSS JOIN websearch_to_tsquery('swedish', 'sjuksköterska') q
LEFT JOIN travel t ON t.from_k = '2422' AND t.to_k = o.meeting_kommunkod
WHERE o.doc @@ q
  AND CASE WHEN o.meeting_kommunkod IS NULL THEN 0
           ELSE o.meetings_per_term * 2 * t.minutes END <= 600
ORDER BY score DESC, o.id
LIMIT 20 OFFSET 0;
