import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { AppError } from '#server/errors.ts';

/** PDF export needs a Chromium; a server without one answers 503 saying how to provide one. */
export class PdfUnavailableError extends AppError {
  constructor(detail: string) {
    super(503, 'pdf_unavailable', `PDF export needs Chromium: ${detail}. Install Chromium or set NYX_CHROMIUM_PATH to its executable.`);
  }
}

const WELL_KNOWN = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const ON_PATH = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium used for PDFs: NYX_CHROMIUM_PATH when set (and then only it: a wrong setting is an
 * error, never silently replaced), else a well-known system path, else the first on PATH.
 */
export function resolveChromium(configured: string | null, searchPath = process.env.PATH ?? ''): string {
  if (configured) {
    if (isExecutable(configured)) return configured;
    throw new PdfUnavailableError(`NYX_CHROMIUM_PATH is "${configured}", which is not an executable file`);
  }
  for (const candidate of WELL_KNOWN) if (isExecutable(candidate)) return candidate;
  for (const dir of searchPath.split(delimiter).filter(Boolean)) {
    for (const name of ON_PATH) if (isExecutable(join(dir, name))) return join(dir, name);
  }
  throw new PdfUnavailableError(`none found at ${WELL_KNOWN.join(', ')} or on PATH (${ON_PATH.join(', ')}), and NYX_CHROMIUM_PATH is not set`);
}
