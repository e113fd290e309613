import type { Report } from '../report/report-types.js';
import type { Paint } from './paint.js';

export interface RenderOptions {
  paint: Paint;
  /** Rows shown in the "most spiky" style tables. */
  top: number;
  /** Terminal width the table output should fit. */
  width: number;
}

/** The output as one string, or in pieces when it may outgrow one (JSON on a million stakeholders). */
export type RenderOutput = string | Iterable<string>;

export type Renderer = (report: Report, options: RenderOptions) => RenderOutput;

/** Output formats, each one file, loaded only when asked for. */
export const RENDERERS = {
  table: async (): Promise<Renderer> => (await import('./render-table.js')).renderTable,
  json: async (): Promise<Renderer> => (await import('./render-json.js')).renderJsonParts,
  csv: async (): Promise<Renderer> => (await import('./render-csv.js')).renderCsv,
  markdown: async (): Promise<Renderer> => (await import('./render-markdown.js')).renderMarkdown,
  html: async (): Promise<Renderer> => (await import('./render-html.js')).renderHtml,
} as const;

export type OutputFormat = keyof typeof RENDERERS;
export const OUTPUT_FORMATS = Object.keys(RENDERERS) as OutputFormat[];
