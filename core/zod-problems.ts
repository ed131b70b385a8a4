import type { z } from 'zod';

/** A zod error as the catalogue's problem lines: each with its path in the file and what is allowed. */
export function zodProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    return `${path || '(file)'}: ${issue.message}`;
  });
}
