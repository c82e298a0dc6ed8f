-- bench/series_data.sql -- the generated benchmark rows of bench/series_bench.sh and
-- bench/citus_bench.sh (one file, so that both time the same data). Run with psql in a database
-- with dlpg: psql -v ROWS=1000000 -f bench/series_data.sql. It appends ROWS ok rows to
-- dlpg.benchmarks (source 'series_bench'), the same rows on every run (setseed), then VACUUM ANALYZE.
--
-- Configuration c (1 .. ROWS/5 + 5) has 3 + c % 5 trials: 5 on average, so ROWS/5 configurations
-- give ROWS rows (LIMIT cuts the surplus). The random draws are made once per configuration in the
-- innermost subquery (volatile, so never flattened into its users) and once per trial in the
-- LATERAL one. What the columns hold: bench/series_bench.sh's header.
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
ALTER TABLE dlpg.benchmarks SET (autovacuum_enabled = false);
SELECT setseed(0.20240601) \g /dev/null
INSERT INTO dlpg.benchmarks
    (exp_id, source, status, framework, framework_version, model, phase, precision, data_type,
     device_type, processing_unit, devices_per_node, num_nodes, num_devices, interconnect,
     replica_batch, effective_batch, server, software, batch_time_ms, throughput, params, dedup_key)
SELECT format('bench-%s-%s', c, t), 'series_bench', 'ok',
       fw, fwver, model, phase, prec, dtype,
       'gpu', pu, ndev / nodes, nodes, ndev,
       CASE WHEN nodes > 1 THEN nic END,
       rb, rb * ndev, server,
       format('%s %s (docker nvcr.io/nvidia/%s:24.05-py3)', fw, fwver, lower(fw)),
       bt, rb * ndev * 1000.0 / bt,
       '{}'::jsonb, format('bench-%s-%s', c, t)
  FROM (SELECT c, ntrials, fw, fwver, model, phase, prec, dtype, pu, server, ndev, nodes, nic, rb,
               -- the configuration's mean batch time (ms)
               rb * ms_per_sample * fw_f * pu_f * ph_f * dt_f
                  * CASE prec WHEN 'fp32' THEN 1.0 WHEN 'fp16' THEN 0.5 WHEN 'bf16' THEN 0.52 ELSE 0.3 END
                  * (1 + 8.0 / rb)                                          -- small batches use a GPU poorly
                  * (1 + 0.04 * log(2, ndev / nodes) + 0.10 * (nodes - 1))  -- multi-device overhead
                  * cfg_f AS bt_cfg
          FROM (SELECT c, 3 + c % 5 AS ntrials,
                       (ARRAY['TensorFlow', 'PyTorch', 'MXNet'])[fi] AS fw,
                       (ARRAY['2.15.0', '2.3.1', '1.9.1'])[fi] AS fwver,
                       (ARRAY[1.0, 0.95, 0.9])[fi] AS fw_f,
                       (ARRAY['ResNet50', 'ResNet101', 'ResNet152', 'VGG16', 'VGG19', 'AlexNetOWT',
                              'GoogleNet', 'InceptionV3', 'InceptionV4', 'DenseNet121'])[mi] AS model,
                       (ARRAY[2.6, 4.6, 6.6, 5.1, 6.0, 0.35, 1.0, 3.8, 7.4, 3.0])[mi] AS ms_per_sample,
                       phase,
                       CASE WHEN phase = 'training'
                            THEN CASE WHEN rp < 0.45 THEN 'fp32' WHEN rp < 0.80 THEN 'fp16' ELSE 'bf16' END
                            ELSE CASE WHEN rp < 0.30 THEN 'fp32' WHEN rp < 0.60 THEN 'fp16'
                                      WHEN rp < 0.70 THEN 'bf16' ELSE 'int8' END
                       END AS prec,
                       CASE phase WHEN 'training' THEN 1.0 ELSE 0.33 END AS ph_f,
                       (ARRAY['synthetic', 'synthetic', 'real', 'real/nvme'])[di] AS dtype,
                       (ARRAY[1.0, 1.0, 1.15, 1.05])[di] AS dt_f,
                       (ARRAY['NVIDIA V100-SXM2-32GB', 'NVIDIA A100-SXM4-80GB', 'NVIDIA H100 80GB HBM3',
                              'NVIDIA H200', 'NVIDIA GeForce RTX 2080 Ti'])[pi] AS pu,
                       (ARRAY['NVIDIA DGX-1', 'NVIDIA DGX A100', 'NVIDIA DGX H100',
                              'HPE Cray XD670', 'HPE ProLiant DL380 Gen10'])[pi] AS server,
                       (ARRAY[1.0, 0.45, 0.25, 0.22, 1.3])[pi] AS pu_f,
                       ndev,
                       CASE WHEN ndev > 1 AND rn < 0.25 THEN 2 ELSE 1 END AS nodes,
                       CASE WHEN rn < 0.15 THEN 'InfiniBand EDR' ELSE '100GbE' END AS nic,
                       rb, cfg_f
                  FROM (SELECT c,
                               1 + floor(random() * 3)::int AS fi,
                               1 + floor(random() * 10)::int AS mi,
                               CASE WHEN random() < 0.6 THEN 'training' ELSE 'inference' END AS phase,
                               random() AS rp,
                               1 + floor(random() * 4)::int AS di,
                               1 + floor(random() * 5)::int AS pi,
                               (2 ^ floor(random() * 4))::int AS ndev,
                               random() AS rn,
                               (2 ^ (4 + floor(random() * 6)))::int AS rb,
                               0.9 + 0.2 * random() AS cfg_f
                          FROM generate_series(1, :ROWS / 5 + 5) AS c) AS r
               ) AS cfg
       ) AS cfg
 CROSS JOIN LATERAL (
        -- trial noise ~3% (sum of three uniforms), and now and then a slow trial
        SELECT t, bt_cfg * (1 + 0.06 * (random() + random() + random() - 1.5))
                         * CASE WHEN random() < 0.02 THEN 1.25 ELSE 1 END AS bt
          FROM generate_series(1, cfg.ntrials) AS t) AS tr
 LIMIT :ROWS;
VACUUM ANALYZE dlpg.benchmarks;
