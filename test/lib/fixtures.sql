-- test/lib/fixtures.sql: the 17 DLBS fixture logs of data/dlbs, for a pgTAP file to include
-- with `\ir lib/fixtures.sql` inside its BEGIN ... ROLLBACK.  Read with psql backticks, so the
-- test runs from the project root.  Ingests nothing.
--
-- Gives
--   psql variables  :'h200_rn50_fp16_train_128' ... :'failed_googlenet', one log each
--                   (8 H200 logs, 8 RTX 2080 logs, the failed googlenet run)
--   pg_temp.fx      one row per log in that order: ord, name (the variable's name), grp (h200,
--                   rtx2080 or failed), source (the file name), log, id (NULL: for the test to fill)
\set h200_rn50_fp16_train_128 `cat data/dlbs/h200/resnet50_float16_training_128.log`
\set h200_rn50_fp16_train_256 `cat data/dlbs/h200/resnet50_float16_training_256.log`
\set h200_rn50_fp16_train_64 `cat data/dlbs/h200/resnet50_float16_training_64.log`
\set h200_rn50_fp32_infer_256 `cat data/dlbs/h200/resnet50_float32_inference_256.log`
\set h200_rn50_fp32_infer_64 `cat data/dlbs/h200/resnet50_float32_inference_64.log`
\set h200_rn50_fp32_train_128 `cat data/dlbs/h200/resnet50_float32_training_128.log`
\set h200_rn50_fp32_train_256 `cat data/dlbs/h200/resnet50_float32_training_256.log`
\set h200_rn50_fp32_train_64 `cat data/dlbs/h200/resnet50_float32_training_64.log`
\set rtx_alexnet_16 `cat data/dlbs/rtx2080/alexnet_owt_16.log`
\set rtx_alexnet_32 `cat data/dlbs/rtx2080/alexnet_owt_32.log`
\set rtx_alexnet_4 `cat data/dlbs/rtx2080/alexnet_owt_4.log`
\set rtx_alexnet_8 `cat data/dlbs/rtx2080/alexnet_owt_8.log`
\set rtx_rn50_16 `cat data/dlbs/rtx2080/resnet50_16.log`
\set rtx_rn50_32 `cat data/dlbs/rtx2080/resnet50_32.log`
\set rtx_rn50_4 `cat data/dlbs/rtx2080/resnet50_4.log`
\set rtx_rn50_8 `cat data/dlbs/rtx2080/resnet50_8.log`
\set failed_googlenet `cat data/dlbs/failed/googlenet_8_noresults.log`

CREATE TEMP TABLE fx (
    ord    serial PRIMARY KEY,
    name   text NOT NULL UNIQUE,
    grp    text NOT NULL,      -- h200, rtx2080 or failed
    source text NOT NULL,
    log    text NOT NULL,
    id     bigint
);
INSERT INTO pg_temp.fx (name, grp, source, log) VALUES
    ('h200_rn50_fp16_train_128', 'h200', 'resnet50_float16_training_128.log', :'h200_rn50_fp16_train_128'),
    ('h200_rn50_fp16_train_256', 'h200', 'resnet50_float16_training_256.log', :'h200_rn50_fp16_train_256'),
    ('h200_rn50_fp16_train_64', 'h200', 'resnet50_float16_training_64.log', :'h200_rn50_fp16_train_64'),
    ('h200_rn50_fp32_infer_256', 'h200', 'resnet50_float32_inference_256.log', :'h200_rn50_fp32_infer_256'),
    ('h200_rn50_fp32_infer_64', 'h200', 'resnet50_float32_inference_64.log', :'h200_rn50_fp32_infer_64'),
    ('h200_rn50_fp32_train_128', 'h200', 'resnet50_float32_training_128.log', :'h200_rn50_fp32_train_128'),
    ('h200_rn50_fp32_train_256', 'h200', 'resnet50_float32_training_256.log', :'h200_rn50_fp32_train_256'),
    ('h200_rn50_fp32_train_64', 'h200', 'resnet50_float32_training_64.log', :'h200_rn50_fp32_train_64'),
    ('rtx_alexnet_16', 'rtx2080', 'alexnet_owt_16.log', :'rtx_alexnet_16'),
    ('rtx_alexnet_32', 'rtx2080', 'alexnet_owt_32.log', :'rtx_alexnet_32'),
    ('rtx_alexnet_4', 'rtx2080', 'alexnet_owt_4.log', :'rtx_alexnet_4'),
    ('rtx_alexnet_8', 'rtx2080', 'alexnet_owt_8.log', :'rtx_alexnet_8'),
    ('rtx_rn50_16', 'rtx2080', 'resnet50_16.log', :'rtx_rn50_16'),
    ('rtx_rn50_32', 'rtx2080', 'resnet50_32.log', :'rtx_rn50_32'),
    ('rtx_rn50_4', 'rtx2080', 'resnet50_4.log', :'rtx_rn50_4'),
    ('rtx_rn50_8', 'rtx2080', 'resnet50_8.log', :'rtx_rn50_8'),
    ('failed_googlenet', 'failed', 'googlenet_8_noresults.log', :'failed_googlenet');
