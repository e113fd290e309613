WITH
source_rows AS (
  SELECT
    TRIM(CAST(`account_id` AS STRING), ' \t\n\v\f\r') AS sid,
    `call_ts` AS ts,
    CAST(1 AS FLOAT64) AS w,
    COALESCE(TRIM(CAST(`channel` AS STRING), ' \t\n\v\f\r'), '') AS dim_1
  FROM `calls`
),
instants AS (
  SELECT
    sid,
    w,
    dim_1,
    UNIX_MILLIS(TIMESTAMP(ts, 'UTC')) AS wall_ms
  FROM source_rows
  WHERE sid <> ''
),
plausible AS (
  SELECT
    sid,
    w,
    dim_1,
    CASE WHEN wall_ms BETWEEN -2208988800000 AND 7289654399999 THEN wall_ms END AS wall_ms
  FROM instants
),
wall_offsets AS (
  SELECT
    sid,
    w,
    dim_1,
    wall_ms,
    (UNIX_MILLIS(TIMESTAMP(DATETIME(TIMESTAMP_MILLIS((wall_ms - 86400000)), 'Europe/Paris'), 'UTC')) - (wall_ms - 86400000)) AS off_before,
    (UNIX_MILLIS(TIMESTAMP(DATETIME(TIMESTAMP_MILLIS((wall_ms + 86400000)), 'Europe/Paris'), 'UTC')) - (wall_ms + 86400000)) AS off_after
  FROM plausible
),
located AS (
  SELECT
    sid,
    w,
    dim_1,
    CASE WHEN off_before = off_after THEN wall_ms - off_before WHEN (UNIX_MILLIS(TIMESTAMP(DATETIME(TIMESTAMP_MILLIS((wall_ms - off_before)), 'Europe/Paris'), 'UTC')) - (wall_ms - off_before)) <> off_before AND (UNIX_MILLIS(TIMESTAMP(DATETIME(TIMESTAMP_MILLIS((wall_ms - off_after)), 'Europe/Paris'), 'UTC')) - (wall_ms - off_after)) = off_after THEN wall_ms - off_after ELSE wall_ms - off_before END AS t_ms,
    FLOOR(wall_ms / 86400000.0) AS day_number
  FROM wall_offsets
),
gaps AS (
  SELECT
    sid,
    w,
    dim_1,
    DATE_FROM_UNIX_DATE(CAST(day_number AS INT64)) AS local_day,
    CAST(t_ms - LAG(t_ms) OVER (PARTITION BY sid ORDER BY t_ms, dim_1) AS FLOAT64) / 1000 AS gap_s
  FROM located
  WHERE t_ms IS NOT NULL AND day_number BETWEEN -25567 AND 84370
)
SELECT
  sid AS `stakeholder`,
  local_day AS `day`,
  dim_1 AS `channel`,
  COUNT(*) AS `interactions`,
  CAST(COUNT(*) AS FLOAT64) AS `volume`,
  CAST(COUNT(*) AS FLOAT64) AS `volume_sq`,
  COUNT(gap_s) AS `gap_count`,
  COALESCE(SUM(gap_s), 0) AS `gap_sum`,
  COALESCE(SUM(gap_s * gap_s), 0) AS `gap_sum_sq`
FROM gaps
GROUP BY sid, local_day, dim_1
ORDER BY sid, local_day, dim_1
