import { type ChangeEvent, useState } from 'react';

/** Text inputs of a form as one record, with a setter per field for onChange. */
export function useFormFields<T extends Record<string, string | boolean>>(initial: T) {
  const [values, setValues] = useState<T>(initial);
  function set<K extends keyof T>(key: K, value: T[K]) {
    setValues((current) => ({ ...current, [key]: value }));
  }
  /** value and onChange of a text field, to spread on the input that edits it. */
  function text<K extends keyof T>(key: K) {
    return {
      value: values[key] as string,
      onChange: (event: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
        set(key, event.target.value as T[K]),
    };
  }
  return { values, set, setValues, text };
}

/** '' becomes undefined: an empty optional field is "not given", not an empty string. */
export function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
