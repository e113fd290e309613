import { describe, expect, it } from 'vitest';
import { runCli, WE_LOG } from './e2e-helpers.js';

// The worked example's log runs 2024-01-01…2024-01-20.
const base = ['report', WE_LOG, '--before', '2', '--after', '2', '--format', 'json'];

describe('overlapping event windows', () => {
  it('are a warning on stderr naming both events and the shared days; stdout is the same as without warnings', () => {
    // A 01-10: 01-08…01-12. B 01-13…01-14: 01-11…01-16. Shared: 01-11 and 01-12.
    const args = [...base, '--event', 'A=2024-01-10', '--event', 'B=2024-01-13..2024-01-14'];
    const r = runCli(args);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'warning: the windows of events "A" (2024-01-08…2024-01-12) and "B" (2024-01-11…2024-01-16) overlap on 2 days, 2024-01-11…2024-01-12',
    );
    const quiet = runCli([...args, '--quiet']);
    expect(quiet.stderr).toBe('');
    expect(r.stdout).toBe(quiet.stdout);
    expect(JSON.parse(r.stdout).events.map((e: { name: string }) => e.name)).toEqual(['A', 'B']);
  });

  it('windows that only touch are not an overlap', () => {
    // A: 01-08…01-12; B 01-15: 01-13…01-17.
    const r = runCli([...base, '--event', 'A=2024-01-10', '--event', 'B=2024-01-15']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('overlap');
  });

  it('a calendar full of overlaps gives ten lines and a count of the rest', () => {
    // Twelve one-day events on 01-05…01-16 with ±2 days: two events overlap when their days are
    // at most 4 apart: 11 + 10 + 9 + 8 = 38 pairs.
    const events = Array.from({ length: 12 }, (_, i) => ['--event', `E${i + 1}=2024-01-${String(5 + i).padStart(2, '0')}`]).flat();
    const r = runCli([...base, ...events]);
    expect(r.code).toBe(0);
    expect(r.stderr.match(/warning: the windows of events/g)).toHaveLength(10);
    expect(r.stderr).toContain('warning: 28 more pairs of event windows overlap (38 in all)');
  });
});

describe('events outside the period', () => {
  it('are a warning naming them, worded for one event and for several', () => {
    const one = runCli([...base, '--event', 'A=2024-01-10', '--event', 'Z=2030-01-01']);
    expect(one.code).toBe(0);
    expect(one.stderr).toContain('warning: 1 event has no window inside 2024-01-01…2024-01-20 and is ignored: Z\n');
    const two = runCli([...base, '--event', 'A=2024-01-10', '--event', 'Y=2023-01-01', '--event', 'Z=2030-01-01']);
    expect(two.code).toBe(0);
    expect(two.stderr).toContain('warning: 2 events have no window inside 2024-01-01…2024-01-20 and are ignored: Y, Z\n');
    expect(JSON.parse(two.stdout).events.map((e: { name: string }) => e.name)).toEqual(['A']);
  });
});
