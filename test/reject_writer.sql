-- pgTAP: dlpg.reject, the one writer of dlpg.rejects (the bulk JSON path in C, dlpg.load_input
-- and dlpg-load all go through it): what it records, what it refuses, who may call it.
BEGIN;
SELECT plan(9);

SELECT lives_ok($$SELECT dlpg.reject('reject-writer.log', 'a reason', 'a detail', '22P02', 7, 'exp.model', 'the raw input')$$,
                'dlpg.reject records a reject with every field');
SELECT results_eq($$SELECT source, reason, detail, sqlstate, line, key, raw FROM dlpg.rejects
                     WHERE source = 'reject-writer.log'$$,
                  $$VALUES ('reject-writer.log', 'a reason', 'a detail', '22P02', 7, 'exp.model', 'the raw input')$$,
                  '  as given');
SELECT lives_ok($$SELECT dlpg.reject(NULL, 'only a reason', NULL, '58030')$$, 'source, detail, line, key and raw may be missing');
SELECT is((SELECT line IS NULL AND key IS NULL AND raw IS NULL FROM dlpg.rejects WHERE reason = 'only a reason'), true,
          '  and are NULL');
SELECT throws_ok($$SELECT dlpg.reject('x', NULL, NULL, '22P02')$$, '22004', NULL, 'a reject without a reason is refused');
SELECT throws_ok($$SELECT dlpg.reject('x', 'r', NULL, '2202')$$, '22023', NULL, 'a sqlstate that is not five characters is refused');
SELECT throws_ok($$SELECT dlpg.reject('x', 'r', NULL, 'xx000')$$, '22023', NULL, 'so is one in lower case');
SELECT throws_ok($$SELECT dlpg.reject('x', 'r', NULL, '22P02', 0)$$, '22023', NULL,
                 'a line below 1 is refused, not stored as unknown');

-- who may write: dlpg_writer, not dlpg_reader
CREATE ROLE reject_writer_reader NOLOGIN IN ROLE dlpg_reader;
SET LOCAL ROLE reject_writer_reader;
SELECT throws_ok($$SELECT dlpg.reject('x', 'r', NULL, '22P02')$$, '42501', NULL, 'a dlpg_reader may not record rejects');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
