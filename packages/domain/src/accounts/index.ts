export * from './passwordRule.ts';
export * from './passwords.ts';
export * from './replacePassword.ts';
