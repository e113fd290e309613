WITH
source_rows AS (
  SELECT
    nfc_normalize(trim(CAST("account_id" AS VARCHAR), ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) AS sid,
    "call_ts" AS ts,
    CAST(1 AS DOUBLE) AS w,
    COALESCE(nfc_normalize(trim(CAST("channel" AS VARCHAR), ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))), '') AS dim_1
  FROM "calls"
),
instants AS (
  SELECT
    sid,
    w,
    dim_1,
    epoch_ms(ts) AS wall_ms
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
    (epoch_ms(timezone('Europe/Paris', timezone('UTC', make_timestamp((wall_ms - 86400000) * 1000)))) - (wall_ms - 86400000)) AS off_before,
    (epoch_ms(timezone('Europe/Paris', timezone('UTC', make_timestamp((wall_ms + 86400000) * 1000)))) - (wall_ms + 86400000)) AS off_after
  FROM plausible
),
located AS (
  SELECT
    sid,
    w,
    dim_1,
    CASE WHEN off_before = off_after THEN wall_ms - off_before WHEN (epoch_ms(timezone('Europe/Paris', timezone('UTC', make_timestamp((wall_ms - off_before) * 1000)))) - (wall_ms - off_before)) <> off_before AND (epoch_ms(timezone('Europe/Paris', timezone('UTC', make_timestamp((wall_ms - off_after) * 1000)))) - (wall_ms - off_after)) = off_after THEN wall_ms - off_after ELSE wall_ms - off_before END AS t_ms,
    FLOOR(wall_ms / 86400000.0) AS day_number
  FROM wall_offsets
),
gaps AS (
  SELECT
    sid,
    w,
    dim_1,
    (DATE '1970-01-01' + CAST(day_number AS INTEGER)) AS local_day,
    CAST(t_ms - LAG(t_ms) OVER (PARTITION BY sid ORDER BY t_ms, dim_1) AS DOUBLE) / 1000 AS gap_s
  FROM located
  WHERE t_ms IS NOT NULL AND day_number BETWEEN -25567 AND 84370
)
SELECT
  sid AS "stakeholder",
  local_day AS "day",
  dim_1 AS "channel",
  COUNT(*) AS "interactions",
  CAST(COUNT(*) AS DOUBLE) AS "volume",
  CAST(COUNT(*) AS DOUBLE) AS "volume_sq",
  COUNT(gap_s) AS "gap_count",
  COALESCE(SUM(gap_s), 0) AS "gap_sum",
  COALESCE(SUM(gap_s * gap_s), 0) AS "gap_sum_sq"
FROM gaps
GROUP BY sid, local_day, dim_1
ORDER BY sid, local_day, dim_1
