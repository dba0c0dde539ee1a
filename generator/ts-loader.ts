/**
 * TypeScript on demand for the compiled CLI (.build/, plain JS): importing a user's .ts file (a
 * `dicom-dictgen.config.ts`, the generated package's index.ts) registers tsx once. Under tsx or
 * vitest this module is itself .ts, .ts already loads, and this is a plain import.
 */
let registered = false;

export async function importTypeScript(href: string): Promise<Record<string, unknown>> {
  if (import.meta.url.endsWith('.ts')) return (await import(href)) as Record<string, unknown>;
  if (!registered) {
    registered = true;
    (await import('tsx/esm/api')).register();
  }
  const mod = (await import(href)) as Record<string, unknown>;
  // A .ts file outside an ESM package scope loads as CommonJS, its exports under `default`;
  // unwrap them as tsx's own import interop does when the importer is TypeScript.
  const inner = mod.default as { __esModule?: unknown } | null | undefined;
  return inner !== null && typeof inner === 'object' && inner.__esModule === true ? (inner as Record<string, unknown>) : mod;
}
