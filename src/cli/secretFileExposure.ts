import { statSync } from 'node:fs';

/**
 * Says when a secret's file (`--auth-token-file`, `--redis-password-file`) can be read by other
 * users of this machine: group or others may read it. Undefined when only its owner can (or
 * the file's mode cannot be read: reading the secret itself would then have failed). Names
 * the flag and the path, never the contents.
 */
export function secretFileExposure(from: string, path: string): string | undefined {
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    return undefined;
  }
  if ((mode & 0o044) === 0) return undefined;
  return (
    `${from} ${path} can be read by other users of this machine (mode ${mode.toString(8).padStart(4, '0')}): ` +
    `anyone who reads it holds the secret. chmod 600 ${path}`
  );
}
