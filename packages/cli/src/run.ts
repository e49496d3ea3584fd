import { Output } from './output.ts';

/**
 * Wraps a command's action: builds its Output from `--json`. Errors propagate to main, which prints
 * them and sets the exit code, so every command fails the same way.
 */
export function action<Flags extends { json?: boolean }, Args extends unknown[]>(
  body: (output: Output, flags: Flags, ...args: Args) => Promise<void>,
): (...parameters: unknown[]) => Promise<void> {
  return async (...parameters: unknown[]) => {
    // commander passes the positional arguments, then the options object, then the command.
    const args = parameters.slice(0, -2) as Args;
    const flags = parameters[parameters.length - 2] as Flags;
    await body(new Output({ json: Boolean(flags.json) }), flags, ...args);
  };
}
