import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_FILES, loadConfig, resolveSettings, type LoadedConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors.js';

let root: string;
let n = 0;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'engage-audit-config-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** A fresh folder holding the given files (objects are written as JSON). */
function folder(files: Record<string, unknown>): string {
  const dir = join(root, `case-${n++}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

async function configError(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return (err as Error).message;
}

describe('loadConfig: discovery', () => {
  it('the documented file names', () => {
    expect([...CONFIG_FILES]).toEqual(['engage-audit.config.json', '.engage-auditrc.json']);
  });

  it('no config: empty settings, relative paths from cwd', async () => {
    const dir = folder({});
    expect(await loadConfig(dir)).toEqual({ source: null, dir, path: null, settings: {} });
  });

  it('engage-audit.config.json wins over .engage-auditrc.json and package.json', async () => {
    const dir = folder({
      'engage-audit.config.json': { before: 1 },
      '.engage-auditrc.json': { before: 2 },
      'package.json': { name: 'x', 'engage-audit': { before: 3 } },
    });
    expect(await loadConfig(dir)).toEqual({ source: 'engage-audit.config.json', dir, path: join(dir, 'engage-audit.config.json'), settings: { before: 1 } });
  });

  it('.engage-auditrc.json wins over package.json', async () => {
    const dir = folder({ '.engage-auditrc.json': { before: 2 }, 'package.json': { name: 'x', 'engage-audit': { before: 3 } } });
    expect(await loadConfig(dir)).toEqual({ source: '.engage-auditrc.json', dir, path: join(dir, '.engage-auditrc.json'), settings: { before: 2 } });
  });

  it('package.json#engage-audit', async () => {
    const dir = folder({ 'package.json': { name: 'x', 'engage-audit': { tz: 'Europe/Berlin', by: ['team'] } } });
    expect(await loadConfig(dir)).toEqual({ source: 'package.json#engage-audit', dir, path: join(dir, 'package.json'), settings: { tz: 'Europe/Berlin', by: ['team'] } });
  });

  it('a package.json without the key is no config (its own keys are not settings)', async () => {
    const dir = folder({ 'package.json': { name: 'x', version: '1.0.0', scripts: {} } });
    expect(await loadConfig(dir)).toEqual({ source: null, dir, path: null, settings: {} });
  });

  it('--config: an explicit file; relative paths are resolved from its folder', async () => {
    const dir = folder({ 'engage-audit.config.json': { before: 1 }, 'cfg/my.json': { after: 9 } });
    const c = await loadConfig(dir, 'cfg/my.json');
    expect(c).toEqual({ source: 'cfg/my.json', dir: join(dir, 'cfg'), path: join(dir, 'cfg', 'my.json'), settings: { after: 9 } });
  });

  it('--config with a missing file is a ConfigError naming it', async () => {
    const dir = folder({});
    expect(await configError(loadConfig(dir, 'nope.json'))).toContain('nope.json');
  });

  it('a BOM is tolerated', async () => {
    const dir = folder({ 'engage-audit.config.json': '\uFEFF{"before": 4}' });
    expect((await loadConfig(dir)).settings).toEqual({ before: 4 });
  });
});

describe('loadConfig: validation', () => {
  it('an unknown key is a ConfigError naming the key and the file', async () => {
    const dir = folder({ 'engage-audit.config.json': { befor: 3 } });
    const msg = await configError(loadConfig(dir));
    expect(msg).toContain('befor');
    expect(msg).toContain('engage-audit.config.json');
  });

  it('an unknown key in package.json#engage-audit names the key', async () => {
    const dir = folder({ 'package.json': { name: 'x', 'engage-audit': { timezone: 'UTC' } } });
    const msg = await configError(loadConfig(dir));
    expect(msg).toContain('timezone');
    expect(msg).toContain('package.json');
  });

  it.each([
    [{ before: -1 }, 'before'],
    [{ after: 1.5 }, 'after'],
    [{ tolerance: 'x' }, 'tolerance'],
    [{ confidence: 1 }, 'confidence'],
    [{ confidence: 0 }, 'confidence'],
    [{ minInteractions: 0 }, 'minInteractions'],
    [{ from: '2024-02-30' }, 'from'],
    [{ to: '2024/01/01' }, 'to'],
    [{ by: 'team' }, 'by'],
    [{ timeline: 'year' }, 'timeline'],
    [{ burstScale: 1 }, 'burstScale'],
    [{ events: [{ name: 'A', start: '2025-01-01', extra: 1 }] }, 'extra'],
    [{ events: 'x'.repeat(0) }, 'events'],
  ])('a bad value %j is a ConfigError naming %s', async (value, path) => {
    const dir = folder({ '.engage-auditrc.json': value });
    const msg = await configError(loadConfig(dir));
    expect(msg).toContain(path);
    expect(msg).toContain('.engage-auditrc.json');
  });

  // BUG: a wrong field inside an inline event (missing name, non-numeric before, …) is reported only as
  // "events: Invalid input" — the union string|array swallows the nested issue, so the path (events.0.name)
  // and the reason are lost.
  it.each([
    [{ events: [{ start: '2025-01-01' }] }, 'events.0.name'],
    [{ events: [{ name: 'A', start: '2025-01-01' }, { name: 'B', start: '2025-01-02', before: 'x' }] }, 'events.1.before'],
  ])('a bad inline event %j is a ConfigError naming %s', async (value, path) => {
    const dir = folder({ '.engage-auditrc.json': value });
    const msg = await configError(loadConfig(dir));
    expect(msg).toContain(path);
  });

  it('invalid JSON and a non-object are ConfigErrors', async () => {
    await configError(loadConfig(folder({ 'engage-audit.config.json': '{"before": 3,' })));
    await configError(loadConfig(folder({ 'engage-audit.config.json': '[1,2]' })));
    await configError(loadConfig(folder({ 'package.json': { name: 'x', 'engage-audit': 'yes' } })));
  });
});

describe('resolveSettings', () => {
  const none: LoadedConfig = { source: null, dir: '/', path: null, settings: {} };
  const flagName = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

  it('defaults from the SPEC', () => {
    const s = resolveSettings(none, {}, flagName);
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
    expect(s.from).toBeUndefined();
    expect(s.to).toBeUndefined();
    expect(s.weightCol).toBeUndefined();
  });

  it('flags win over the config, the config over the defaults; undefined flags do not erase', async () => {
    const dir = folder({ 'engage-audit.config.json': { before: 7, after: 21, tz: 'Europe/Berlin', weightCol: 'amount' } });
    const config = await loadConfig(dir);
    const s = resolveSettings(config, { before: 3, tz: undefined, after: undefined }, flagName);
    expect(s.before).toBe(3);
    expect(s.after).toBe(21);
    expect(s.tz).toBe('Europe/Berlin');
    expect(s.weightCol).toBe('amount');
    expect(s.settleDays).toBe(7);
  });

  it('settleDays greater than profileDays is rejected, equal is fine', () => {
    const msg = (() => {
      try {
        resolveSettings(none, { profileDays: 5, settleDays: 6 }, flagName);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error('expected ConfigError');
    })();
    expect(msg).toMatch(/settle-days|settleDays/);
    expect(resolveSettings(none, { profileDays: 5, settleDays: 5 }, flagName).settleDays).toBe(5);
    // against the default profileDays (30)
    expect(() => resolveSettings(none, { settleDays: 31 }, flagName)).toThrow(ConfigError);
  });

  it('settleDays from the config and profileDays from a flag are checked together', async () => {
    const config = await loadConfig(folder({ 'engage-audit.config.json': { settleDays: 10 } }));
    expect(() => resolveSettings(config, { profileDays: 9 }, flagName)).toThrow(ConfigError);
    expect(resolveSettings(config, { profileDays: 10 }, flagName).settleDays).toBe(10);
  });

  it('from after to is rejected; from equal to to is fine', async () => {
    expect(() => resolveSettings(none, { from: '2024-02-01', to: '2024-01-31' }, flagName)).toThrow(ConfigError);
    expect(resolveSettings(none, { from: '2024-02-01', to: '2024-02-01' }, flagName).from).toBe('2024-02-01');
    const config = await loadConfig(folder({ 'engage-audit.config.json': { from: '2024-06-01' } }));
    const err = (() => {
      try {
        resolveSettings(config, { to: '2024-05-31' }, flagName);
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected ConfigError');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/to/);
  });

  it('a bad flag value is a ConfigError naming the flag', () => {
    try {
      resolveSettings(none, { before: -1 }, flagName);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).toContain('--before');
    }
    try {
      resolveSettings(none, { from: '2023-02-29' }, flagName);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).toContain('--from');
    }
  });
});
