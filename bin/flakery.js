#!/usr/bin/env node
// The bundled command line (build/cli, fast to start) when it is built, else the modular build.
import { existsSync } from 'node:fs';
const bundle = new URL('../build/cli/flakery.js', import.meta.url);
await import(existsSync(bundle) ? bundle.href : '../build/src/cli/main.js');
