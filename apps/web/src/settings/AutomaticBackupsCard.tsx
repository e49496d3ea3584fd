import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { fieldErrors } from '../api/errors.ts';
import { useTRPC } from '../api/trpc.ts';
import { useWorkspace } from '../app/workspaceContext.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { Field } from '../ui/Field.tsx';
import { SelectField } from '../ui/SelectField.tsx';

type Frequency = 'off' | 'daily' | 'weekly';

const FREQUENCIES = [
  { value: 'off', label: 'Off' },
  { value: 'daily', label: 'Daily' },
  { value: 'weekly', label: 'Weekly (Mondays)' },
] as const;

const HOURS = Array.from({ length: 24 }, (_, hour) => ({
  value: String(hour),
  label: `${String(hour).padStart(2, '0')}:00 UTC`,
}));

/** Owners: the server keeps backups of the organization on a schedule; "Run now" makes one at once. */
export function AutomaticBackupsCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { organization } = useWorkspace();
  const schedule = useQuery(trpc.backupSchedule.get.queryOptions({ tenantId: organization.id }));
  const save = useMutation(trpc.backupSchedule.set.mutationOptions());
  const runNow = useMutation(trpc.backupSchedule.runNow.mutationOptions());
  const [frequency, setFrequency] = useState<Frequency>('off');
  const [hour, setHour] = useState('2');
  const [keep, setKeep] = useState('7');
  const [recipients, setRecipients] = useState('');
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!schedule.data) return;
    setFrequency(schedule.data.frequency);
    setHour(String(schedule.data.hour));
    setKeep(String(schedule.data.keep));
    setRecipients(schedule.data.recipients.join('\n'));
  }, [schedule.data]);

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.backupSchedule.get.queryFilter()),
      queryClient.invalidateQueries(trpc.storedBackup.list.queryFilter()),
      queryClient.invalidateQueries(trpc.backup.history.queryFilter()),
    ]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    await save.mutateAsync({
      tenantId: organization.id,
      frequency,
      hour: Number(hour),
      keep: Number(keep),
      recipients: recipients
        .split(/[\s,]+/)
        .map((key) => key.trim())
        .filter(Boolean),
    });
    setSaved(true);
    await refresh();
  }

  async function run() {
    await runNow.mutateAsync({ tenantId: organization.id });
    await refresh();
  }

  const errors = fieldErrors(save.error);
  const warning = schedule.data?.warning;
  // Until the saved schedule has loaded, a choice made in the form would be overwritten by it.
  const loading = !schedule.data;
  return (
    <section className="card stack" aria-labelledby="automatic-backups-title">
      <h2 id="automatic-backups-title">Automatic backups</h2>
      <p>
        The server keeps backups of this organization, checks each one by reading it back, and deletes the
        oldest beyond the number you keep. They do not count against the 2 downloads a day.
      </p>
      {warning && (
        <div className="note note-warning" role="alert">
          <strong>Automatic backups need attention.</strong> {warning}
        </div>
      )}
      <ErrorNote error={schedule.error} />
      <form className="stack" onSubmit={(event) => void submit(event).catch(() => {})}>
        <div className="row">
          <SelectField
            label="Frequency"
            options={FREQUENCIES}
            value={frequency}
            disabled={loading}
            onChange={(event) => setFrequency(event.target.value as Frequency)}
            error={errors.frequency}
          />
          <SelectField
            label="At"
            options={HOURS}
            value={hour}
            disabled={loading}
            onChange={(event) => setHour(event.target.value)}
            error={errors.hour}
          />
          <Field
            label="Keep the last"
            type="number"
            min={1}
            max={90}
            value={keep}
            disabled={loading}
            onChange={(event) => setKeep(event.target.value)}
            error={errors.keep}
          />
        </div>
        <div className="field">
          <label htmlFor="backup-recipients">Encrypt to (age public keys, one per line; optional)</label>
          <textarea
            id="backup-recipients"
            rows={2}
            placeholder="age1…"
            value={recipients}
            disabled={loading}
            onChange={(event) => setRecipients(event.target.value)}
          />
          <small className="hint">
            With keys, the server cannot read its own copies: keep the private key safe, and restore with
            hisaabo restore --identity.
          </small>
          {errors.recipients && <small className="field-error">{errors.recipients.join(' ')}</small>}
        </div>
        <ErrorNote error={save.error && !Object.keys(errors).length ? save.error : null} title="Not saved" />
        <div className="row">
          <button type="submit" disabled={loading || save.isPending}>
            {save.isPending ? 'Saving…' : 'Save schedule'}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => void run().catch(() => {})}
            disabled={runNow.isPending}
          >
            {runNow.isPending ? 'Starting…' : 'Run now'}
          </button>
        </div>
        <div aria-live="polite">
          {saved && <p className="note note-success">Schedule saved.</p>}
          {runNow.isSuccess && <p className="note note-success">Backup started: it is listed below.</p>}
        </div>
        <ErrorNote error={runNow.error} title="The backup could not start" />
      </form>
    </section>
  );
}
