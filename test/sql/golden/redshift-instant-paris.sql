WITH
source_rows AS (
  SELECT
    BTRIM(CAST("Account_vod__c" AS VARCHAR(65535)), ' ' || CHR(9) || CHR(10) || CHR(11) || CHR(12) || CHR(13)) AS sid,
    "Call_Datetime_vod__c" AS ts,
    CASE WHEN BTRIM(CAST("minutes" AS VARCHAR(65535)), ' ' || CHR(9) || CHR(10) || CHR(11) || CHR(12) || CHR(13)) ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$' THEN (CASE WHEN CAST(BTRIM(CAST("minutes" AS VARCHAR(65535)), ' ' || CHR(9) || CHR(10) || CHR(11) || CHR(12) || CHR(13)) AS DOUBLE PRECISION) BETWEEN 1e-150 AND 1e150 THEN CAST(BTRIM(CAST("minutes" AS VARCHAR(65535)), ' ' || CHR(9) || CHR(10) || CHR(11) || CHR(12) || CHR(13)) AS DOUBLE PRECISION) END) END AS w,
    COALESCE(BTRIM(CAST("channel" AS VARCHAR(65535)), ' ' || CHR(9) || CHR(10) || CHR(11) || CHR(12) || CHR(13)), '') AS dim_1,
    COALESCE(BTRIM(CAST("stakeholder ""type""" AS VARCHAR(65535)), ' ' || CHR(9) || CHR(10) || CHR(11) || CHR(12) || CHR(13)), '') AS dim_2
  FROM "crm"."activity"."calls"
  OFFSET 0
),
instants AS (
  SELECT
    sid,
    w,
    dim_1,
    dim_2,
    DATEDIFF(millisecond, TIMESTAMP '1970-01-01 00:00:00', CONVERT_TIMEZONE('UTC', ts)) AS fixed_ms
  FROM source_rows
  WHERE sid <> '' AND w IS NOT NULL
  OFFSET 0
),
plausible AS (
  SELECT
    sid,
    w,
    dim_1,
    dim_2,
    CASE WHEN fixed_ms BETWEEN -2209075200000 AND 7289740800000 THEN fixed_ms END AS fixed_ms
  FROM instants
  OFFSET 0
),
located AS (
  SELECT
    sid,
    w,
    dim_1,
    dim_2,
    fixed_ms AS t_ms,
    FLOOR(DATEDIFF(millisecond, TIMESTAMP '1970-01-01 00:00:00', CONVERT_TIMEZONE('UTC', 'Europe/Paris', TIMESTAMP '1970-01-01 00:00:00' + fixed_ms * INTERVAL '1 millisecond')) / 86400000.0) AS day_number
  FROM plausible
  OFFSET 0
),
gaps AS (
  SELECT
    sid,
    w,
    dim_1,
    dim_2,
    (DATE '1970-01-01' + CAST(day_number AS INTEGER)) AS local_day,
    CAST(t_ms - LAG(t_ms) OVER (PARTITION BY sid ORDER BY t_ms, dim_1, dim_2) AS DOUBLE PRECISION) / 1000 AS gap_s
  FROM located
  WHERE t_ms IS NOT NULL AND day_number BETWEEN -25567 AND 84370
  OFFSET 0
)
SELECT
  sid AS "stakeholder",
  local_day AS "day",
  dim_1 AS "channel",
  dim_2 AS "stakeholder ""type""",
  COUNT(*) AS "interactions",
  SUM(w) AS "volume",
  SUM(w * w) AS "volume_sq",
  COUNT(gap_s) AS "gap_count",
  COALESCE(SUM(gap_s), 0) AS "gap_sum",
  COALESCE(SUM(gap_s * gap_s), 0) AS "gap_sum_sq"
FROM gaps
GROUP BY sid, local_day, dim_1, dim_2
ORDER BY sid, local_day, dim_1, dim_2
