-- dlpg.ingest of every bundled real DLBS log: the typed columns, exact output.
-- dlpg was created with the database (REGRESS_OPTS --load-extension); again, for empty tables.
DROP EXTENSION dlpg;
CREATE EXTENSION dlpg;
SET extra_float_digits = 1;

\set h200_fp16_64 `cat data/dlbs/h200/resnet50_float16_training_64.log`
\set h200_fp16_128 `cat data/dlbs/h200/resnet50_float16_training_128.log`
\set h200_fp16_256 `cat data/dlbs/h200/resnet50_float16_training_256.log`
\set h200_fp32_64 `cat data/dlbs/h200/resnet50_float32_training_64.log`
\set h200_fp32_128 `cat data/dlbs/h200/resnet50_float32_training_128.log`
\set h200_fp32_256 `cat data/dlbs/h200/resnet50_float32_training_256.log`
\set h200_inf_64 `cat data/dlbs/h200/resnet50_float32_inference_64.log`
\set h200_inf_256 `cat data/dlbs/h200/resnet50_float32_inference_256.log`
\set rtx_alex_4 `cat data/dlbs/rtx2080/alexnet_owt_4.log`
\set rtx_alex_8 `cat data/dlbs/rtx2080/alexnet_owt_8.log`
\set rtx_alex_16 `cat data/dlbs/rtx2080/alexnet_owt_16.log`
\set rtx_alex_32 `cat data/dlbs/rtx2080/alexnet_owt_32.log`
\set rtx_res_4 `cat data/dlbs/rtx2080/resnet50_4.log`
\set rtx_res_8 `cat data/dlbs/rtx2080/resnet50_8.log`
\set rtx_res_16 `cat data/dlbs/rtx2080/resnet50_16.log`
\set rtx_res_32 `cat data/dlbs/rtx2080/resnet50_32.log`
\set failed `cat data/dlbs/failed/googlenet_8_noresults.log`

SELECT count(*) AS ingested FROM (VALUES
    (dlpg.ingest(:'h200_fp16_64', 'h200/resnet50_float16_training_64.log')),
    (dlpg.ingest(:'h200_fp16_128', 'h200/resnet50_float16_training_128.log')),
    (dlpg.ingest(:'h200_fp16_256', 'h200/resnet50_float16_training_256.log')),
    (dlpg.ingest(:'h200_fp32_64', 'h200/resnet50_float32_training_64.log')),
    (dlpg.ingest(:'h200_fp32_128', 'h200/resnet50_float32_training_128.log')),
    (dlpg.ingest(:'h200_fp32_256', 'h200/resnet50_float32_training_256.log')),
    (dlpg.ingest(:'h200_inf_64', 'h200/resnet50_float32_inference_64.log')),
    (dlpg.ingest(:'h200_inf_256', 'h200/resnet50_float32_inference_256.log')),
    (dlpg.ingest(:'rtx_alex_4', 'rtx2080/alexnet_owt_4.log')),
    (dlpg.ingest(:'rtx_alex_8', 'rtx2080/alexnet_owt_8.log')),
    (dlpg.ingest(:'rtx_alex_16', 'rtx2080/alexnet_owt_16.log')),
    (dlpg.ingest(:'rtx_alex_32', 'rtx2080/alexnet_owt_32.log')),
    (dlpg.ingest(:'rtx_res_4', 'rtx2080/resnet50_4.log')),
    (dlpg.ingest(:'rtx_res_8', 'rtx2080/resnet50_8.log')),
    (dlpg.ingest(:'rtx_res_16', 'rtx2080/resnet50_16.log')),
    (dlpg.ingest(:'rtx_res_32', 'rtx2080/resnet50_32.log')),
    (dlpg.ingest(:'failed', 'failed/googlenet_8_noresults.log'))) AS t(id);

-- Axis columns.
SELECT source, framework, framework_version AS ver, model, phase, precision,
       data_type, device_type AS dev, processing_unit AS unit,
       devices_per_node AS per_node, num_nodes AS nodes, num_devices AS devices,
       replica_batch AS replica, effective_batch AS effective
  FROM dlpg.benchmarks ORDER BY source;

-- Measures and status.
SELECT source, status, batch_time_ms, throughput, throughput_derived AS derived,
       array_length(batch_times_ms, 1) AS iterations, status_reason
  FROM dlpg.benchmarks ORDER BY source;

-- Software, server, identity.
SELECT source, software, server, interconnect, exp_id, dedup_key
  FROM dlpg.benchmarks ORDER BY source;

-- Every key of the log is kept.
SELECT source, (SELECT count(*) FROM jsonb_object_keys(params)) AS params
  FROM dlpg.benchmarks ORDER BY source;

-- A second load of the same logs adds nothing.
SELECT dlpg.ingest(:'rtx_res_4', 'again') = id AS same_id, source
  FROM dlpg.benchmarks WHERE exp_id = '95b1677babae4248815eb40638e1397b';
SELECT count(*) FROM dlpg.benchmarks;

-- Leave dlpg as the next test finds it: created, with empty tables.
DROP EXTENSION dlpg;
CREATE EXTENSION dlpg;
