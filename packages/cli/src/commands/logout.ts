import type { Command } from 'commander';
import { ApiClient } from '../api/client.ts';
import { okSchema } from '../api/schemas.ts';
import { chooseApiUrl, normalizeApiUrl, readConfig, writeConfig } from '../config.ts';
import { CliError } from '../errors.ts';
import { apiUrlOption, jsonOption } from '../options.ts';
import type { Output } from '../output.ts';
import { action } from '../run.ts';

export function registerLogout(program: Command): void {
  const command = program
    .command('logout')
    .description('end the session on the server and forget the saved credential');
  apiUrlOption(command);
  jsonOption(command);
  command.action(action(logout));
}

async function logout(output: Output, flags: { apiUrl?: string; json?: boolean }): Promise<void> {
  const stored = readConfig();
  const apiUrl = chooseApiUrl(flags.apiUrl, stored);
  const loggedInHere = Boolean(stored.token && stored.apiUrl && normalizeApiUrl(stored.apiUrl) === apiUrl);
  let revoked = false;
  if (loggedInHere && stored.tokenKind !== 'apiKey') {
    try {
      await new ApiClient(apiUrl, stored.token).mutation('auth.logout', undefined, okSchema);
      revoked = true;
    } catch (error) {
      // An expired session is as good as revoked; an unreachable server must not keep the credential on disk.
      if (!(error instanceof CliError) || (error.kind !== 'unauthorized' && error.kind !== 'not_logged_in')) {
        output.warn(
          `could not revoke the session on the server (${(error as Error).message}); forgetting it here anyway`,
        );
      }
    }
  }
  if (loggedInHere) {
    const { token: _token, tokenKind: _kind, email: _email, tenant: _tenant, ...rest } = stored;
    writeConfig(rest);
  }
  if (process.env.HISAABO_TOKEN) output.warn('HISAABO_TOKEN is still set: commands keep using it');
  output.result([loggedInHere ? `Logged out of ${apiUrl}.` : `Not logged in to ${apiUrl}; nothing to do.`], {
    ok: true,
    apiUrl,
    wasLoggedIn: loggedInHere,
    sessionRevoked: revoked,
  });
}
