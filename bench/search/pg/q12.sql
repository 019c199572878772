-- q12: text 'omvårdnad', filter o.pace_percent = 50, relevance order, page 1.
SELECT o.id, ts_rank(o.doc, q) AS score, count(*) OVER () AS total
FROM offering o
CROSS JOIN websearch_to_tsquery('swedish', 'omvårdnad') q
WHERE o.doc @@ q
  AND o.pace_percent = 50
ORDER BY score DESC, o.id
LIMIT 20 OFFSET 0;
