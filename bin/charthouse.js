#!/usr/bin/env node
// The installed `charthouse` command: the compiled CLI runs when imported.
import '../dist/cli.js';
