import { spawn } from 'node:child_process';
import type { HookSettings } from './settings.ts';

export interface HookContext {
  file: string;
  backupId: string;
  tenantId: string;
  tenantSlug: string;
}

const STDERR_KEPT = 500;

/**
 * Runs the operator's hook (e.g. an off-site copy) on a stored backup. Never throws: the outcome is
 * `succeeded` or a sentence saying why not. Past its timeout the hook and its children are killed.
 */
export function runHook(hook: HookSettings, context: HookContext): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', hook.command], {
      env: {
        ...process.env,
        HISAABO_BACKUP_FILE: context.file,
        HISAABO_BACKUP_ID: context.backupId,
        HISAABO_BACKUP_TENANT_ID: context.tenantId,
        HISAABO_BACKUP_TENANT_SLUG: context.tenantSlug,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group, so a timeout also stops what the hook started (rclone, aws…).
      detached: true,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, hook.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(`failed: ${error.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const said = stderr.trim() ? `: ${stderr.trim()}` : '';
      if (timedOut) resolve(`failed: timed out after ${Math.round(hook.timeoutMs / 1000)} s (killed)`);
      else if (code === 0) resolve('succeeded');
      else resolve(`failed: exit ${code ?? signal}${said}`);
    });
  });
}
