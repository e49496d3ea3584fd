import { z } from 'zod';

/** What a password must be, wherever one is set: sign-up, a change, an operator's reset. */
export const passwordRule = z
  .string()
  .min(8, 'Use at least 8 characters')
  .max(256, 'Use at most 256 characters');
