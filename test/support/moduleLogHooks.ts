/**
 * Module resolution hooks that append every module URL a process resolves to the file named by
 * FLAKERY_MODULE_LOG, one per line. Registered by moduleLog.ts (`node --import …`); Node runs
 * them on the loader's own thread, so they write to a file instead of keeping a list.
 */
import { appendFileSync } from 'node:fs';

interface ResolveResult {
  readonly url: string;
}
type NextResolve = (specifier: string, context: unknown) => Promise<ResolveResult>;

export async function resolve(specifier: string, context: unknown, nextResolve: NextResolve): Promise<ResolveResult> {
  const result = await nextResolve(specifier, context);
  const logFile = process.env.FLAKERY_MODULE_LOG;
  if (logFile !== undefined) appendFileSync(logFile, `${result.url}\n`);
  return result;
}
