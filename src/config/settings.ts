import * as z from 'zod';
import { parseDay } from '../time/civil-date.js';

/** zod's own words for '' are "Too small: expected string to have >=1 characters". */
const nonEmpty = z.string().min(1, { message: 'must not be empty' });
const day = z.string().refine((s) => parseDay(s) !== null, { message: 'must be a day that exists, written YYYY-MM-DD' });
const wholeDays = (min: number) => z.number().int('must be a whole number').min(min, `must be at least ${min}`);

const inlineEvent = z
  .object({
    name: z.string(),
    start: z.union([z.string(), z.number()]),
    end: z.union([z.string(), z.number()]).optional(),
    kind: z.string().optional(),
    before: z.number().optional(),
    after: z.number().optional(),
  })
  .strict();

/** Every setting of SPEC §1 with its default; the config file and the flags are validated against it. */
export const settingsShape = {
  tz: nonEmpty.default('UTC'),
  before: wholeDays(0).default(14),
  after: wholeDays(0).default(14),
  from: day.optional(),
  to: day.optional(),
  minInteractions: wholeDays(1).default(5),
  silenceDays: wholeDays(1).default(30),
  profileDays: wholeDays(1).default(30),
  settleDays: wholeDays(1).default(7),
  tolerance: z.number().min(0, 'must not be negative').default(0.2),
  confidence: z.number().gt(0, 'must be between 0 and 1').lt(1, 'must be between 0 and 1').default(0.95),
  flagAbove: z.number().positive('must be positive').default(3),
  by: z.array(nonEmpty).default([]),
  timestampCol: nonEmpty.optional(),
  stakeholderCol: nonEmpty.optional(),
  weightCol: nonEmpty.optional(),
  dateFormat: nonEmpty.optional(),
  /** Drop rows identical, field by field, to an earlier row (they are always counted). */
  dedupe: z.boolean().default(false),
  events: z.union([nonEmpty, z.array(inlineEvent)]).optional(),
  burstScale: z.number().gt(1, 'must be greater than 1').default(2),
  burstCost: z.number().min(0, 'must not be negative').default(1),
  timeline: z.enum(['day', 'week', 'month']).default('week'),
  // Thresholds of `check` (SPEC §4); ignored by `report`.
  maxSpikiness: z.number().positive('must be positive').optional(),
  maxStakeholderSpikiness: z.number().positive('must be positive').optional(),
  maxFlaggedShare: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').default(0),
  maxSegmentSpikiness: z.number().positive('must be positive').optional(),
  maxDarkShare: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').optional(),
  significant: z.boolean().default(false),
};

export const settingsSchema = z
  .object(settingsShape)
  .strict()
  .superRefine((s, ctx) => {
    if (s.from !== undefined && s.to !== undefined && s.from > s.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${s.from})` });
    }
    if (s.settleDays > s.profileDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['settleDays'],
        message: `must not exceed profileDays (${s.profileDays}): return to baseline is looked for inside the profile`,
      });
    }
  });

export type Settings = z.output<typeof settingsSchema>;
/** What a config file or the flags may say: any subset, no unknown keys. */
export type PartialSettings = Partial<z.input<typeof settingsSchema>>;

export const partialSettingsSchema = z.object(settingsShape).partial().strict();

export const SETTING_KEYS = Object.keys(settingsShape) as (keyof Settings)[];
