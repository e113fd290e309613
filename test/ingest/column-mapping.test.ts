import { describe, expect, it } from 'vitest';
import { distinctNames, mapColumns, STAKEHOLDER_ALIASES, TIMESTAMP_ALIASES } from '../../src/ingest/column-mapping.js';
import { UsageError } from '../../src/errors.js';

/** The whole text a user sees: the message and the hint line under it. */
function usageText(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    const e = err as UsageError;
    return `${e.message}\n${e.hint ?? ''}`;
  }
  throw new Error('expected a UsageError');
}

describe('mapColumns: aliases', () => {
  it('knows the aliases the SPEC lists', () => {
    const ts = TIMESTAMP_ALIASES.map((a) => a.toLowerCase());
    for (const a of ['timestamp', 'date', 'datetime', 'created_at', 'occurred_at', 'activity_date', 'call_date_vod__c', 'call_datetime_vod__c', 'date_of_payment']) {
      expect(ts).toContain(a);
    }
    const sh = STAKEHOLDER_ALIASES.map((a) => a.toLowerCase());
    for (const a of ['stakeholder', 'stakeholder_id', 'account', 'account_id', 'contact_id', 'hcp_id', 'customer_id', 'account_vod__c', 'physician_profile_id', 'covered_recipient_profile_id']) {
      expect(sh).toContain(a);
    }
  });

  it('Veeva export: Call_Date_vod__c and Account_vod__c; other columns become dimensions', () => {
    const m = mapColumns(['Id', 'Call_Date_vod__c', 'Account_vod__c', 'Channel'], {}, 'calls.csv');
    expect(m.timestamp).toBe(1);
    expect(m.stakeholder).toBe(2);
    expect(m.weight).toBeNull();
    expect(m.dimensions).toEqual([
      { index: 0, name: 'Id' },
      { index: 3, name: 'Channel' },
    ]);
    expect(m.names).toEqual({ timestamp: 'Call_Date_vod__c', stakeholder: 'Account_vod__c', weight: null });
  });

  it('matching is case-insensitive', () => {
    const m = mapColumns(['CALL_DATE_VOD__C', 'account_vod__c'], {}, 'f.csv');
    expect([m.timestamp, m.stakeholder]).toEqual([0, 1]);
    const m2 = mapColumns(['TimeStamp', 'Stakeholder_ID'], {}, 'f.csv');
    expect([m2.timestamp, m2.stakeholder]).toEqual([0, 1]);
  });

  it('Open Payments: Date_of_Payment and Covered_Recipient_Profile_ID; an amount column is never guessed as weight', () => {
    const m = mapColumns(['Covered_Recipient_Profile_ID', 'Total_Amount_of_Payment_USDollars', 'Date_of_Payment'], {}, 'op.csv');
    expect(m.timestamp).toBe(2);
    expect(m.stakeholder).toBe(0);
    expect(m.weight).toBeNull();
    expect(m.dimensions.map((d) => d.name)).toEqual(['Total_Amount_of_Payment_USDollars']);
  });

  it('a column literally named "weight" is not used as the weight unless mapped', () => {
    const m = mapColumns(['timestamp', 'hcp_id', 'weight'], {}, 'f.csv');
    expect(m.weight).toBeNull();
    expect(m.dimensions).toEqual([{ index: 2, name: 'weight' }]);
  });
});

describe('mapColumns: explicit flags', () => {
  it('explicit columns win over aliases', () => {
    const m = mapColumns(['date', 'when', 'account', 'owner'], { timestampCol: 'when', stakeholderCol: 'owner' }, 'f.csv');
    expect(m.timestamp).toBe(1);
    expect(m.stakeholder).toBe(3);
    expect(m.dimensions.map((d) => d.name)).toEqual(['date', 'account']);
  });

  it('an explicit flag resolves two alias candidates', () => {
    const m = mapColumns(['date', 'timestamp', 'hcp_id'], { timestampCol: 'timestamp' }, 'f.csv');
    expect(m.timestamp).toBe(1);
    expect(m.dimensions.map((d) => d.name)).toEqual(['date']);
  });

  it('the weight column is used when mapped', () => {
    const m = mapColumns(['timestamp', 'hcp_id', 'amount', 'team'], { weightCol: 'amount' }, 'f.csv');
    expect(m.weight).toBe(2);
    expect(m.names.weight).toBe('amount');
    expect(m.dimensions.map((d) => d.name)).toEqual(['team']);
  });

  it('an explicit column that is not in the header is a UsageError naming the flag and the header', () => {
    const text = usageText(() => mapColumns(['timestamp', 'hcp_id'], { weightCol: 'amount' }, 'f.csv'));
    expect(text).toContain('--weight-col');
    expect(text).toContain('amount');
    expect(text).toContain('"timestamp"');
    expect(text).toContain('"hcp_id"');
    const t2 = usageText(() => mapColumns(['ts', 'who'], { timestampCol: 'time', stakeholderCol: 'who' }, 'f.csv'));
    expect(t2).toContain('--timestamp-col');
    expect(t2).toContain('"ts"');
  });

  it('the weight column cannot also be the timestamp or the stakeholder', () => {
    expect(() => mapColumns(['timestamp', 'hcp_id'], { weightCol: 'hcp_id' }, 'f.csv')).toThrow(UsageError);
    expect(() => mapColumns(['timestamp', 'hcp_id'], { stakeholderCol: 'timestamp' }, 'f.csv')).toThrow(UsageError);
  });
});

describe('mapColumns: ambiguity and absence', () => {
  it('a dimension the header names twice keeps both columns, the repeat named as DuckDB names it', () => {
    const m = mapColumns(['timestamp', 'stakeholder_id', 'channel', 'channel', ' channel '], {}, 'log.csv');
    expect(m.dimensions).toEqual([
      { index: 2, name: 'channel' },
      { index: 3, name: 'channel_1' },
      { index: 4, name: 'channel_2' },
    ]);
  });

  it('renames repeats exactly as DuckDB does (its read_csv_auto gave these), so the engines agree', () => {
    expect(distinctNames(['channel', 'channel', 'channel_1'])).toEqual(['channel', 'channel_1', 'channel_1_1']);
    expect(distinctNames(['channel', 'channel_1', 'channel'])).toEqual(['channel', 'channel_1', 'channel_1_1']);
    expect(distinctNames(['Channel', 'channel'])).toEqual(['Channel', 'channel_1']);
    expect(distinctNames(['channel', ' channel ', 'channel'])).toEqual(['channel', 'channel_1', 'channel_2']);
    expect(distinctNames(['a', 'A', 'a_1', 'a'])).toEqual(['a', 'A_1', 'a_1_1', 'a_2']);
    // A header without repeats keeps its names.
    expect(distinctNames(['timestamp', ' stakeholder ', 'Channel', 'country'])).toEqual(['timestamp', 'stakeholder', 'Channel', 'country']);
  });

  it('a timestamp column named twice: the hint says to rename, and the flag cannot pick one either', () => {
    const text = usageText(() => mapColumns(['timestamp', 'stakeholder_id', 'timestamp'], {}, 'log.csv'));
    expect(text).toBe('log.csv: 2 columns could be the timestamp: "timestamp" and "timestamp" (header: "timestamp", "stakeholder_id", "timestamp")\nThey have the same name: rename all but one of them in the file.');
    expect(usageText(() => mapColumns(['timestamp', 'stakeholder_id', 'timestamp'], { timestampCol: 'timestamp' }, 'log.csv'))).toBe(
      'log.csv: --timestamp-col "timestamp" names 2 columns of the header (columns 1 and 3)\nRename all but one of them in the file: nothing else tells them apart.',
    );
  });

  it('two timestamp candidates: a UsageError naming both and the flag', () => {
    const text = usageText(() => mapColumns(['date', 'timestamp', 'hcp_id'], {}, 'log.csv'));
    expect(text).toContain('"date"');
    expect(text).toContain('"timestamp"');
    expect(text).toContain('--timestamp-col');
    expect(text).toContain('log.csv');
  });

  it('two stakeholder candidates (different case families): a UsageError naming both and the flag', () => {
    const text = usageText(() => mapColumns(['timestamp', 'Account_vod__c', 'hcp_id'], {}, 'log.csv'));
    expect(text).toContain('"Account_vod__c"');
    expect(text).toContain('"hcp_id"');
    expect(text).toContain('--stakeholder-col');
  });

  it('no timestamp column: a UsageError listing the header and naming the flag', () => {
    const text = usageText(() => mapColumns(['when', 'hcp_id', 'channel'], {}, 'log.csv'));
    expect(text).toContain('"when"');
    expect(text).toContain('"hcp_id"');
    expect(text).toContain('"channel"');
    expect(text).toContain('--timestamp-col');
  });

  it('no stakeholder column: a UsageError listing the header and naming the flag', () => {
    const text = usageText(() => mapColumns(['timestamp', 'who'], {}, 'log.csv'));
    expect(text).toContain('"who"');
    expect(text).toContain('--stakeholder-col');
  });
});
