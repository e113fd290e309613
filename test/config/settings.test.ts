import { describe, expect, it } from 'vitest';
import { SETTING_KEYS, partialSettingsSchema, settingsSchema } from '../../src/config/settings.js';

describe('settings schema', () => {
  it('knows every setting SPEC §1 names', () => {
    for (const key of [
      'tz',
      'before',
      'after',
      'from',
      'to',
      'minInteractions',
      'silenceDays',
      'profileDays',
      'settleDays',
      'tolerance',
      'confidence',
      'flagAbove',
      'by',
      'timestampCol',
      'stakeholderCol',
      'weightCol',
      'dateFormat',
      'events',
      'burstScale',
      'burstCost',
    ]) {
      expect(SETTING_KEYS).toContain(key);
    }
  });

  it('fills the SPEC defaults', () => {
    const s = settingsSchema.parse({});
    expect(s).toMatchObject({
      tz: 'UTC',
      before: 14,
      after: 14,
      minInteractions: 5,
      silenceDays: 30,
      profileDays: 30,
      settleDays: 7,
      tolerance: 0.2,
      confidence: 0.95,
      flagAbove: 3,
      by: [],
      burstScale: 2,
      burstCost: 1,
    });
  });

  it('the check thresholds of SPEC §4 can be declared in the config', () => {
    expect(partialSettingsSchema.safeParse({ maxSpikiness: 2 }).success).toBe(true);
  });

  it.each([
    [{ before: 0, after: 0 }, true],
    [{ before: -1 }, false],
    [{ before: 2.5 }, false],
    [{ before: '3' }, false],
    [{ tolerance: 0 }, true],
    [{ tolerance: -0.1 }, false],
    [{ confidence: 0.5 }, true],
    [{ confidence: 1 }, false],
    [{ flagAbove: 0 }, false],
    [{ minInteractions: 1 }, true],
    [{ minInteractions: 0 }, false],
    [{ silenceDays: 0 }, false],
    [{ from: '2024-02-29', to: '2024-03-01' }, true],
    [{ from: '2023-02-29' }, false],
    [{ to: '2024-13-01' }, false],
    [{ by: ['team', 'channel'] }, true],
    [{ by: [''] }, false],
    [{ events: 'events.csv' }, true],
    [{ events: [{ name: 'A', start: '2025-01-01', end: '2025-01-02', kind: 'launch', before: 1, after: 2 }] }, true],
    [{ events: [{ name: 'A' }] }, false],
    [{ burstScale: 1 }, false],
    [{ burstScale: 1.5 }, true],
    [{ burstCost: 0 }, true],
    [{ burstCost: -1 }, false],
    [{ unknownKey: 1 }, false],
    [{ settleDays: 30, profileDays: 30 }, true],
    [{ settleDays: 31, profileDays: 30 }, false],
    [{ settleDays: 8, profileDays: 7 }, false],
    [{ from: '2024-01-02', to: '2024-01-01' }, false],
    [{ from: '2024-01-01', to: '2024-01-01' }, true],
  ])('%j valid: %s', (value, valid) => {
    expect(settingsSchema.safeParse(value).success).toBe(valid);
  });

  it('the partial schema (config files, flags) refuses unknown keys too', () => {
    expect(partialSettingsSchema.safeParse({ befor: 1 }).success).toBe(false);
    expect(partialSettingsSchema.safeParse({ before: 1 }).success).toBe(true);
  });
});
