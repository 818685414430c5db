/** placeholder replaced below */
export function getSchemaDocument(name: string | undefined): unknown {
  return { name: name ?? null };
}
