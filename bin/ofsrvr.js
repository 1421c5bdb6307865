#!/usr/bin/env node
import { builtCli } from './builtCli.js';
await import(builtCli('ofsrvr.js', 'ofsrvrMain.js'));
