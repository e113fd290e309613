WITH
source_rows AS (
  SELECT
    btrim(CAST("account_id" AS TEXT), ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)) AS sid,
    "call_ts" AS ts,
    CAST(1 AS DOUBLE PRECISION) AS w
  FROM "calls"
  OFFSET 0
),
instants AS (
  SELECT
    sid,
    w,
    CAST(FLOOR(EXTRACT(EPOCH FROM ts) * 1000) AS BIGINT) AS fixed_ms
  FROM source_rows
  WHERE sid <> ''
  OFFSET 0
),
plausible AS (
  SELECT
    sid,
    w,
    CASE WHEN fixed_ms BETWEEN -2209075200000 AND 7289740800000 THEN fixed_ms END AS fixed_ms
  FROM instants
  OFFSET 0
),
located AS (
  SELECT
    sid,
    w,
    fixed_ms AS t_ms,
    FLOOR(CAST(FLOOR(EXTRACT(EPOCH FROM timezone('America/New_York', CAST('1970-01-01 00:00:00+00' AS TIMESTAMPTZ) + fixed_ms * INTERVAL '1 millisecond')) * 1000) AS BIGINT) / 86400000.0) AS day_number
  FROM plausible
  OFFSET 0
),
gaps AS (
  SELECT
    sid,
    w,
    (DATE '1970-01-01' + CAST(day_number AS INTEGER)) AS local_day,
    CAST(t_ms - LAG(t_ms) OVER (PARTITION BY sid ORDER BY t_ms) AS DOUBLE PRECISION) / 1000 AS gap_s
  FROM located
  WHERE t_ms IS NOT NULL AND day_number BETWEEN -25567 AND 84370
  OFFSET 0
)
SELECT
  sid AS "stakeholder",
  local_day AS "day",
  COUNT(*) AS "interactions",
  CAST(COUNT(*) AS DOUBLE PRECISION) AS "volume",
  CAST(COUNT(*) AS DOUBLE PRECISION) AS "volume_sq",
  COUNT(gap_s) AS "gap_count",
  COALESCE(SUM(gap_s), 0) AS "gap_sum",
  COALESCE(SUM(gap_s * gap_s), 0) AS "gap_sum_sq"
FROM gaps
GROUP BY sid, local_day
ORDER BY sid, local_day
