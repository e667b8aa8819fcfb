#!/usr/bin/env node
'use strict';
require('../dist/main')
  .main()
  .catch((error) => {
    console.error(`llm-sim: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
