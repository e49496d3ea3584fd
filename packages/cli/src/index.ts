// The package is a command (bin/hisaabo.js); this entry exposes its exit codes and program for tooling.
export { ExitCode, type ExitCodeValue } from './exit-codes.ts';
export { buildProgram } from './program.ts';
