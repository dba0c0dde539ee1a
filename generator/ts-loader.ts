/**
 * TypeScript on demand for the compiled CLI (.build/, plain JS): before it imports a user's .ts
 * file (a `dicom-dictgen.config.ts`, the generated package's index.ts), tsx is registered once.
 * Under tsx or vitest this module is itself .ts and .ts already loads, so nothing happens.
 */
let registered = false;

export async function ensureTypeScriptLoader(): Promise<void> {
  if (registered || import.meta.url.endsWith('.ts')) return;
  registered = true;
  (await import('tsx/esm/api')).register();
}
