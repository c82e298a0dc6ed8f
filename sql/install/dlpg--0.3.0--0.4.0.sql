-- dlpg 0.3.0 -> 0.4.0: input formats as sources (one C interface behind
-- dlpg.ingest*, dlpg.load* and dlpg-load), and what a point means (issue 10).
\echo Use "ALTER EXTENSION dlpg UPDATE TO '0.4.0'" to load this file. \quit
