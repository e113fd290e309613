WITH
source_rows AS (
  SELECT
    nfc_normalize(trim(CAST("account_id" AS VARCHAR), ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))) AS sid,
    trim(CAST("call_ts" AS VARCHAR), ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)) AS ts,
    CASE WHEN regexp_full_match(trim(CAST("minutes" AS VARCHAR), ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)), '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') AND TRY_CAST(trim(CAST("minutes" AS VARCHAR), ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)) AS DOUBLE) BETWEEN 1e-150 AND 1e150 THEN TRY_CAST(trim(CAST("minutes" AS VARCHAR), ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)) AS DOUBLE) END AS w
  FROM "calls"
),
ts_match AS (
  SELECT
    sid,
    w,
    ts,
    ts AS iso
  FROM source_rows
  WHERE sid <> '' AND w IS NOT NULL
),
ts_fields AS (
  SELECT
    sid,
    w,
    CAST(NULLIF(regexp_extract(iso, '^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*(Z|z|[+-]\d{2}(?::?\d{2})?))?)?$', 1), '') AS INTEGER) AS y,
    CAST(NULLIF(regexp_extract(iso, '^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*(Z|z|[+-]\d{2}(?::?\d{2})?))?)?$', 2), '') AS INTEGER) AS mo,
    CAST(NULLIF(regexp_extract(iso, '^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*(Z|z|[+-]\d{2}(?::?\d{2})?))?)?$', 3), '') AS INTEGER) AS dd,
    COALESCE(CAST(NULLIF(regexp_extract(iso, '^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*(Z|z|[+-]\d{2}(?::?\d{2})?))?)?$', 4), '') AS INTEGER), 0) AS hh,
    COALESCE(CAST(NULLIF(regexp_extract(iso, '^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*(Z|z|[+-]\d{2}(?::?\d{2})?))?)?$', 5), '') AS INTEGER), 0) AS mi,
    COALESCE(CAST(NULLIF(regexp_extract(iso, '^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*(Z|z|[+-]\d{2}(?::?\d{2})?))?)?$', 6), '') AS INTEGER), 0) AS ss,
    NULLIF(regexp_extract(iso, '^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*(Z|z|[+-]\d{2}(?::?\d{2})?))?)?$', 7), '') AS frac,
    NULLIF(regexp_extract(iso, '^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*(Z|z|[+-]\d{2}(?::?\d{2})?))?)?$', 8), '') AS tz_offset,
    CASE WHEN regexp_full_match(ts, '^\d+(?:\.\d+)?$') THEN ts END AS epoch_text
  FROM ts_match
),
ts_values AS (
  SELECT
    sid,
    w,
    CASE WHEN y IS NOT NULL AND mo BETWEEN 1 AND 12 AND dd BETWEEN 1 AND CASE WHEN mo = 2 THEN (CASE WHEN (MOD(y, 4) = 0 AND (MOD(y, 100) <> 0 OR MOD(y, 400) = 0)) THEN 29 ELSE 28 END) WHEN mo IN (4, 6, 9, 11) THEN 30 ELSE 31 END AND hh <= 23 AND mi <= 59 AND ss <= 59 THEN CAST((make_date(y, mo, dd) - DATE '1970-01-01') AS BIGINT) * 86400000 + ((hh * 60 + mi) * 60 + ss) * 1000 + CASE WHEN frac IS NULL THEN 0 ELSE CAST(FLOOR(CAST(CONCAT('0.', frac) AS DOUBLE) * 1000) AS BIGINT) END END AS iso_ms,
    CASE WHEN tz_offset IS NOT NULL THEN CASE WHEN tz_offset IN ('Z', 'z') THEN 0 WHEN CAST(SUBSTR(REPLACE(SUBSTR(tz_offset, 2), ':', ''), 1, 2) AS INTEGER) <= 23 AND CASE WHEN LENGTH(REPLACE(SUBSTR(tz_offset, 2), ':', '')) > 2 THEN CAST(SUBSTR(REPLACE(SUBSTR(tz_offset, 2), ':', ''), 3, 2) AS INTEGER) ELSE 0 END <= 59 THEN (CASE WHEN SUBSTR(tz_offset, 1, 1) = '-' THEN -1 ELSE 1 END) * (CAST(SUBSTR(REPLACE(SUBSTR(tz_offset, 2), ':', ''), 1, 2) AS INTEGER) * 60 + CASE WHEN LENGTH(REPLACE(SUBSTR(tz_offset, 2), ':', '')) > 2 THEN CAST(SUBSTR(REPLACE(SUBSTR(tz_offset, 2), ':', ''), 3, 2) AS INTEGER) ELSE 0 END) * 60000 END END AS offset_ms,
    tz_offset,
    CASE WHEN LENGTH(LTRIM(SPLIT_PART(LTRIM(epoch_text, '-'), '.', 1), '0')) > 17 THEN NULL WHEN LENGTH(LTRIM(SPLIT_PART(LTRIM(epoch_text, '-'), '.', 1), '0')) >= 12 THEN FLOOR(CAST(epoch_text AS DOUBLE)) ELSE FLOOR(CAST(epoch_text AS DOUBLE) * 1000) END AS epoch_ms
  FROM ts_fields
),
instants AS (
  SELECT
    sid,
    w,
    CASE WHEN tz_offset IS NULL THEN iso_ms END AS wall_ms,
    CASE WHEN tz_offset IS NOT NULL THEN iso_ms - offset_ms WHEN ABS(epoch_ms) <= 8.64e15 THEN CAST(epoch_ms AS BIGINT) END AS fixed_ms
  FROM ts_values
),
plausible AS (
  SELECT
    sid,
    w,
    CASE WHEN wall_ms BETWEEN -2208988800000 AND 7289654399999 THEN wall_ms END AS wall_ms,
    CASE WHEN fixed_ms BETWEEN -2209075200000 AND 7289740800000 THEN fixed_ms END AS fixed_ms
  FROM instants
),
wall_offsets AS (
  SELECT
    sid,
    w,
    fixed_ms,
    wall_ms,
    (epoch_ms(timezone('Europe/Paris', timezone('UTC', make_timestamp((wall_ms - 86400000) * 1000)))) - (wall_ms - 86400000)) AS off_before,
    (epoch_ms(timezone('Europe/Paris', timezone('UTC', make_timestamp((wall_ms + 86400000) * 1000)))) - (wall_ms + 86400000)) AS off_after
  FROM plausible
),
located AS (
  SELECT
    sid,
    w,
    CASE WHEN wall_ms IS NOT NULL THEN CASE WHEN off_before = off_after THEN wall_ms - off_before WHEN (epoch_ms(timezone('Europe/Paris', timezone('UTC', make_timestamp((wall_ms - off_before) * 1000)))) - (wall_ms - off_before)) <> off_before AND (epoch_ms(timezone('Europe/Paris', timezone('UTC', make_timestamp((wall_ms - off_after) * 1000)))) - (wall_ms - off_after)) = off_after THEN wall_ms - off_after ELSE wall_ms - off_before END ELSE fixed_ms END AS t_ms,
    FLOOR(CASE WHEN wall_ms IS NOT NULL THEN wall_ms ELSE epoch_ms(timezone('Europe/Paris', timezone('UTC', make_timestamp(fixed_ms * 1000)))) END / 86400000.0) AS day_number
  FROM wall_offsets
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
  SUM(w) AS "volume",
  SUM(w * w) AS "volume_sq",
  COUNT(gap_s) AS "gap_count",
  COALESCE(SUM(gap_s), 0) AS "gap_sum",
  COALESCE(SUM(gap_s * gap_s), 0) AS "gap_sum_sq"
FROM gaps
GROUP BY sid, local_day
ORDER BY sid, local_day
