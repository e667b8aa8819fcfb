#!/usr/bin/env node
'use strict';
// Installs dependencies when they are missing or older than package-lock.json, so that a fresh
// clone needs no separate `npm install` before `npm run demo` or `npm test`. Plain Node only:
// nothing can be required from node_modules here.
const { execSync } = require('node:child_process');
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  console.error(`tapir needs Node.js 20 or newer; this is ${process.version}`);
  process.exit(1);
}

const stale = !existsSync(installed) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs + 1000);
if (stale) {
  console.error('tapir: installing dependencies (npm ci) ...');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
