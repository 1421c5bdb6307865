import assert from 'node:assert/strict';

/** What `fn` throws, for assertions on its code, option and message; fails the test if it returns. */
export function thrown(fn: () => unknown): { code: string; option?: string; message: string } {
  try {
    fn();
  } catch (caught) {
    return caught as { code: string; option?: string; message: string };
  }
  return assert.fail('expected an error');
}
