import { useState } from 'react';

/** Text inputs of a form as one record, with a setter per field for onChange. */
export function useFormFields<T extends Record<string, string | boolean>>(initial: T) {
  const [values, setValues] = useState<T>(initial);
  function set<K extends keyof T>(key: K, value: T[K]) {
    setValues((current) => ({ ...current, [key]: value }));
  }
  return { values, set, setValues };
}

/** '' becomes undefined: an empty optional field is "not given", not an empty string. */
export function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
