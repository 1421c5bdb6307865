#!/usr/bin/env node
import { builtCli } from './builtCli.js';
await import(builtCli('flakery.js', 'main.js'));
