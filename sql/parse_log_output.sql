-- dlpg.parse_log: the DLBS line grammar, exact output.

-- Leading blanks, "=" with and without a space, blanks before "=", dots and
-- inner double underscores in keys, other lines ignored.
SELECT jsonb_pretty(dlpg.parse_log(E'Running subprocess ...\n'
    '  __exp.model__="resnet50"\n'
    '\t__exp.phase__= "training"\n'
    '__exp.num_gpus__ =2\n'
    '__pytorch.__master_addr__="localhost"\n'
    '__a__b__=1\n'
    'some __x__=1 in the middle of a line\n'
    'Traceback (most recent call last):'));

-- Last value wins, whatever its type.
SELECT dlpg.parse_log(E'__exp.status__="ok"\n__exp.status__="success"\n'
    '__exp.framework_ver__=""\n__exp.framework_ver__= "1.8.0"\n'
    '__k__=1\n__k__=[1, 2]\n__k__={"a": {"b": null}}');

-- Values that are not JSON are kept as strings, never fatal; a value of blanks is null (DLBS).
SELECT dlpg.parse_log(E'__nan__=NaN\n__inf__=inf\n__junk__=12 monkeys\n'
    '__open__=[1, 2\n__tail__={"a": 1} x\n__blank__=   \n__big__=1e-99999');

-- "__k__=" with nothing after "=" is not a parameter line; CR and CRLF end lines.
SELECT dlpg.parse_log(E'__empty__=\n__crlf__=1\r\n__cr__=2\r__last__=3');

-- Nothing to parse.
SELECT dlpg.parse_log('');
SELECT dlpg.parse_log(E'no parameters\nhere');
SELECT dlpg.parse_log(NULL);

-- Too deep: an error naming the line and key.
\set VERBOSITY default
SELECT dlpg.parse_log(E'__ok__=1\n__deep__=' || repeat('[', 100000) || repeat(']', 100000));

-- Real logs: every key of an H200 log and an RTX 2080 log.
\set h200 `cat data/dlbs/h200/resnet50_float16_training_128.log`
\set rtx `cat data/dlbs/rtx2080/resnet50_4.log`
SELECT count(*) AS h200_keys FROM jsonb_object_keys(dlpg.parse_log(:'h200'));
SELECT count(*) AS rtx2080_keys FROM jsonb_object_keys(dlpg.parse_log(:'rtx'));
SELECT p->'exp.model_title' AS model, p->'exp.framework_ver' AS version,
       p->'exp.status' AS status, p->'results.time' AS time,
       p->'results.throughput' AS throughput
  FROM dlpg.parse_log(:'rtx') AS p;
SELECT p->'hw.nvidiasmi'->'GPU 00000000:00:06.0'->'Product Name' AS gpu,
       jsonb_array_length(p->'results.time_data') AS iterations
  FROM dlpg.parse_log(:'h200') AS p;
