/**
 * Styling injected into the table renderer by the CLI, so that render/ never
 * imports chalk or looks at the terminal. The plain paint is the identity.
 */
export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
}

const id = (s: string): string => s;

export const plainPaint: Paint = { bold: id, dim: id, red: id, yellow: id, green: id, cyan: id };
