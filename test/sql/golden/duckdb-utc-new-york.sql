WITH
source_rows AS (
  SELECT
    nfc_normalize(trim(CAST("account_id" AS VARCHAR), ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) AS sid,
    "call_ts" AS ts,
    CAST(1 AS DOUBLE) AS w
  FROM "calls"
),
instants AS (
  SELECT
    sid,
    w,
    epoch_ms(ts) AS fixed_ms
  FROM source_rows
  WHERE sid <> ''
),
plausible AS (
  SELECT
    sid,
    w,
    CASE WHEN fixed_ms BETWEEN -2209075200000 AND 7289740800000 THEN fixed_ms END AS fixed_ms
  FROM instants
),
located AS (
  SELECT
    sid,
    w,
    fixed_ms AS t_ms,
    FLOOR(epoch_ms(timezone('America/New_York', timezone('UTC', make_timestamp(fixed_ms * 1000)))) / 86400000.0) AS day_number
  FROM plausible
),
gaps AS (
  SELECT
    sid,
    w,
    (DATE '1970-01-01' + CAST(day_number AS INTEGER)) AS local_day,
    CAST(t_ms - LAG(t_ms) OVER (PARTITION BY sid ORDER BY t_ms) AS DOUBLE) / 1000 AS gap_s
  FROM located
  WHERE t_ms IS NOT NULL AND day_number BETWEEN -25567 AND 84370
)
SELECT
  sid AS "stakeholder",
  local_day AS "day",
  COUNT(*) AS "interactions",
  CAST(COUNT(*) AS DOUBLE) AS "volume",
  CAST(COUNT(*) AS DOUBLE) AS "volume_sq",
  COUNT(gap_s) AS "gap_count",
  COALESCE(SUM(gap_s), 0) AS "gap_sum",
  COALESCE(SUM(gap_s * gap_s), 0) AS "gap_sum_sq"
FROM gaps
GROUP BY sid, local_day
ORDER BY sid, local_day
