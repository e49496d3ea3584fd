import { describe, expect, it } from 'vitest';
import { chooseApiUrl } from '../src/config.ts';

describe('which server a command talks to', () => {
  it('takes --api-url, else HISAABO_API_URL, else the saved login, else the default', () => {
    const stored = { apiUrl: 'https://saved.example.com' };
    const env = { HISAABO_API_URL: 'https://env.example.com/' };
    expect(chooseApiUrl('https://flag.example.com', stored, env)).toBe('https://flag.example.com');
    expect(chooseApiUrl(undefined, stored, env)).toBe('https://env.example.com');
    expect(chooseApiUrl(undefined, stored, {})).toBe('https://saved.example.com');
    expect(chooseApiUrl(undefined, {}, {})).toBe('http://localhost:3000');
  });
});
