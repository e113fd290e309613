WITH
source_rows AS (
  SELECT
    nfc_normalize(trim(CAST("Account_vod__c" AS VARCHAR), ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) AS sid,
    "Call_Datetime_vod__c" AS ts,
    CASE WHEN regexp_full_match(trim(CAST("minutes" AS VARCHAR), ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)), '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') AND TRY_CAST(trim(CAST("minutes" AS VARCHAR), ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)) AS DOUBLE) BETWEEN 1e-150 AND 1e150 THEN TRY_CAST(trim(CAST("minutes" AS VARCHAR), ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)) AS DOUBLE) END AS w,
    COALESCE(nfc_normalize(trim(CAST("channel" AS VARCHAR), ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))), '') AS dim_1,
    COALESCE(nfc_normalize(trim(CAST("stakeholder ""type""" AS VARCHAR), ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))), '') AS dim_2
  FROM "crm"."activity"."calls"
),
instants AS (
  SELECT
    sid,
    w,
    dim_1,
    dim_2,
    epoch_ms(ts) AS fixed_ms
  FROM source_rows
  WHERE sid <> '' AND w IS NOT NULL
),
plausible AS (
  SELECT
    sid,
    w,
    dim_1,
    dim_2,
    CASE WHEN fixed_ms BETWEEN -2209075200000 AND 7289740800000 THEN fixed_ms END AS fixed_ms
  FROM instants
),
located AS (
  SELECT
    sid,
    w,
    dim_1,
    dim_2,
    fixed_ms AS t_ms,
    FLOOR(epoch_ms(timezone('Europe/Paris', timezone('UTC', make_timestamp(fixed_ms * 1000)))) / 86400000.0) AS day_number
  FROM plausible
),
gaps AS (
  SELECT
    sid,
    w,
    dim_1,
    dim_2,
    (DATE '1970-01-01' + CAST(day_number AS INTEGER)) AS local_day,
    CAST(t_ms - LAG(t_ms) OVER (PARTITION BY sid ORDER BY t_ms, dim_1, dim_2) AS DOUBLE) / 1000 AS gap_s
  FROM located
  WHERE t_ms IS NOT NULL AND day_number BETWEEN -25567 AND 84370
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
