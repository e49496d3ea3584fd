#!/usr/bin/env node
// The command runs its TypeScript sources directly: tsx compiles them in this process on first load,
// so there is no build step between the code and the command.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
