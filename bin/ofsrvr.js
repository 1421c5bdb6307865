#!/usr/bin/env node
import '../build/src/cli/ofsrvrMain.js';
