WITH
source_rows AS (
  SELECT
    btrim(CAST("account_id" AS TEXT), ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)) AS sid,
    "call_ts" AS ts,
    CAST(1 AS DOUBLE PRECISION) AS w,
    COALESCE(btrim(CAST("channel" AS TEXT), ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)), '') AS dim_1
  FROM "calls"
  OFFSET 0
),
instants AS (
  SELECT
    sid,
    w,
    dim_1,
    CAST(FLOOR(EXTRACT(EPOCH FROM ts) * 1000) AS BIGINT) AS wall_ms
  FROM source_rows
  WHERE sid <> ''
  OFFSET 0
),
plausible AS (
  SELECT
    sid,
    w,
    dim_1,
    CASE WHEN wall_ms BETWEEN -2208988800000 AND 7289654399999 THEN wall_ms END AS wall_ms
  FROM instants
  OFFSET 0
),
wall_offsets AS (
  SELECT
    sid,
    w,
    dim_1,
    wall_ms,
    (CAST(FLOOR(EXTRACT(EPOCH FROM timezone('Europe/Paris', CAST('1970-01-01 00:00:00+00' AS TIMESTAMPTZ) + (wall_ms - 86400000) * INTERVAL '1 millisecond')) * 1000) AS BIGINT) - (wall_ms - 86400000)) AS off_before,
    (CAST(FLOOR(EXTRACT(EPOCH FROM timezone('Europe/Paris', CAST('1970-01-01 00:00:00+00' AS TIMESTAMPTZ) + (wall_ms + 86400000) * INTERVAL '1 millisecond')) * 1000) AS BIGINT) - (wall_ms + 86400000)) AS off_after
  FROM plausible
  OFFSET 0
),
located AS (
  SELECT
    sid,
    w,
    dim_1,
    CASE WHEN off_before = off_after THEN wall_ms - off_before WHEN (CAST(FLOOR(EXTRACT(EPOCH FROM timezone('Europe/Paris', CAST('1970-01-01 00:00:00+00' AS TIMESTAMPTZ) + (wall_ms - off_before) * INTERVAL '1 millisecond')) * 1000) AS BIGINT) - (wall_ms - off_before)) <> off_before AND (CAST(FLOOR(EXTRACT(EPOCH FROM timezone('Europe/Paris', CAST('1970-01-01 00:00:00+00' AS TIMESTAMPTZ) + (wall_ms - off_after) * INTERVAL '1 millisecond')) * 1000) AS BIGINT) - (wall_ms - off_after)) = off_after THEN wall_ms - off_after ELSE wall_ms - off_before END AS t_ms,
    FLOOR(wall_ms / 86400000.0) AS day_number
  FROM wall_offsets
  OFFSET 0
),
gaps AS (
  SELECT
    sid,
    w,
    dim_1,
    (DATE '1970-01-01' + CAST(day_number AS INTEGER)) AS local_day,
    CAST(t_ms - LAG(t_ms) OVER (PARTITION BY sid ORDER BY t_ms, dim_1) AS DOUBLE PRECISION) / 1000 AS gap_s
  FROM located
  WHERE t_ms IS NOT NULL AND day_number BETWEEN -25567 AND 84370
  OFFSET 0
)
SELECT
  sid AS "stakeholder",
  local_day AS "day",
  dim_1 AS "channel",
  COUNT(*) AS "interactions",
  CAST(COUNT(*) AS DOUBLE PRECISION) AS "volume",
  CAST(COUNT(*) AS DOUBLE PRECISION) AS "volume_sq",
  COUNT(gap_s) AS "gap_count",
  COALESCE(SUM(gap_s), 0) AS "gap_sum",
  COALESCE(SUM(gap_s * gap_s), 0) AS "gap_sum_sq"
FROM gaps
GROUP BY sid, local_day, dim_1
ORDER BY sid, local_day, dim_1
