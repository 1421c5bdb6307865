/**
 * `node --import <this file> …` records every module the process resolves (see
 * moduleLogHooks.ts): how a test learns what a command loads without timing it.
 */
import { register } from 'node:module';

register('./moduleLogHooks.js', import.meta.url);
