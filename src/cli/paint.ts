import { Chalk } from 'chalk';
import type { Paint } from '../render/paint.js';
import { plainPaint } from '../render/paint.js';
import type { CliIo } from './io.js';

/**
 * Colour only for a terminal, never when NO_COLOR is set (chalk itself ignores
 * it), never with --no-color, and never for machine formats.
 */
export function wantsColor(io: CliIo, flagColor: boolean, format: string, toFile: boolean): boolean {
  if (!flagColor || toFile || format !== 'table') return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.TERM === 'dumb') return false;
  return io.stdout.isTTY === true;
}

export function makePaint(color: boolean): Paint {
  if (!color) return plainPaint;
  const c = new Chalk({ level: 1 });
  return {
    bold: (s) => c.bold(s),
    dim: (s) => c.dim(s),
    red: (s) => c.red(s),
    yellow: (s) => c.yellow(s),
    green: (s) => c.green(s),
    cyan: (s) => c.cyan(s),
  };
}
