-- q05: text 'specialistsjuksköterska psykiatrisk vård', relevance order, page 1.
SELECT o.id, ts_rank(o.doc, q) AS score, count(*) OVER () AS total
FROM offering o
CROSS JOIN websearch_to_tsquery('swedish', 'specialistsjuksköterska psykiatrisk vård') q
WHERE o.doc @@ q
ORDER BY score DESC, o.id
LIMIT 20 OFFSET 0;
