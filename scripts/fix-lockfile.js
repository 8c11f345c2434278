#!/usr/bin/env node
/**
 * The registry this project installs from serves only the platform packages the machines use.
 * `npm install` then leaves other platforms' optional native bindings (unrs-resolver's, via
 * Jest) out of package-lock.json, and `npm ci` refuses the lock as out of sync. This adds
 * them back as optional, platform-restricted entries (never installed on Linux x64), so
 * `npm ci` accepts the lock. Run it after any `npm install` that rewrites the lock.
 */
const fs = require('node:fs');
const path = require('node:path');

const file = path.resolve(__dirname, '../package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages;
const PLATFORMS = {
  'android-arm-eabi': ['android', 'arm'], 'android-arm64': ['android', 'arm64'],
  'darwin-arm64': ['darwin', 'arm64'], 'darwin-x64': ['darwin', 'x64'], 'freebsd-x64': ['freebsd', 'x64'],
  'linux-arm-gnueabihf': ['linux', 'arm', 'glibc'], 'linux-arm-musleabihf': ['linux', 'arm', 'musl'],
  'linux-arm64-gnu': ['linux', 'arm64', 'glibc'], 'linux-arm64-musl': ['linux', 'arm64', 'musl'],
  'linux-loong64-gnu': ['linux', 'loong64', 'glibc'], 'linux-loong64-musl': ['linux', 'loong64', 'musl'],
  'linux-ppc64-gnu': ['linux', 'ppc64', 'glibc'], 'linux-riscv64-gnu': ['linux', 'riscv64', 'glibc'],
  'linux-riscv64-musl': ['linux', 'riscv64', 'musl'], 'linux-s390x-gnu': ['linux', 's390x', 'glibc'],
  'linux-x64-gnu': ['linux', 'x64', 'glibc'], 'linux-x64-musl': ['linux', 'x64', 'musl'],
  'openharmony-arm64': ['openharmony', 'arm64'], 'win32-arm64-msvc': ['win32', 'arm64'],
  'win32-ia32-msvc': ['win32', 'ia32'], 'win32-x64-msvc': ['win32', 'x64'],
};
let added = 0;
for (const [key, entry] of Object.entries(packages)) {
  if (!key.endsWith('node_modules/unrs-resolver')) continue;
  const base = key.slice(0, -'unrs-resolver'.length);
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `${base}${name}`;
    if (packages[target]) continue;
    const [os, cpu, libc] = PLATFORMS[name.split('resolver-binding-')[1]] ?? [];
    if (!os) throw new Error(`no platform known for ${name}`);
    packages[target] = { version, cpu: [cpu], dev: true, ...(libc ? { libc: [libc] } : {}), license: 'MIT', optional: true, os: [os] };
    added += 1;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} optional platform entries`);
