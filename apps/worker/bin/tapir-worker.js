#!/usr/bin/env node
'use strict';
// Same as `tapir worker`; kept so that a process manager can start workers without the CLI.
require('@tapir/cli/dist/main').main(['node', 'tapir', 'worker', ...process.argv.slice(2)]);
