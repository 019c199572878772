-- q02: text 'lärare', relevance order, page 1.
SELECT o.id, ts_rank(o.doc, q) AS score, count(*) OVER () AS total
FROM offering o
CROSS JOIN websearch_to_tsquery('swedish', 'lärare') q
WHERE o.doc @@ q
ORDER BY score DESC, o.id
LIMIT 20 OFFSET 0;
