/**
 * The check of a tool call's arguments against the tool's JSON Schema (its `parameters`): a
 * status of its own, apart from the reference's `schema_valid` (which only says the arguments
 * decoded straight to an object). Checks what a tool's parameters usually say: the object's
 * required properties, and each given property's `type` and `enum`.
 */
export function checkArguments(args: unknown, parameters: unknown): string[] {
  if (typeof parameters !== 'object' || parameters === null) return [];
  const schema = parameters as { type?: unknown; required?: unknown; properties?: unknown; additionalProperties?: unknown };
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return schema.type === 'object' || schema.properties ? ['arguments are not an object'] : [];
  const given = args as Record<string, unknown>;
  const problems: string[] = [];
  if (Array.isArray(schema.required)) {
    for (const name of schema.required) if (typeof name === 'string' && !(name in given)) problems.push(`missing required argument '${name}'`);
  }
  const properties = typeof schema.properties === 'object' && schema.properties !== null ? (schema.properties as Record<string, unknown>) : {};
  for (const [name, value] of Object.entries(given)) {
    const property = properties[name] as { type?: unknown; enum?: unknown } | undefined;
    if (!property) {
      if (schema.additionalProperties === false) problems.push(`unexpected argument '${name}'`);
      continue;
    }
    const types = typeof property.type === 'string' ? [property.type] : Array.isArray(property.type) ? property.type : [];
    if (types.length > 0 && !types.some((t) => matchesType(value, t))) problems.push(`argument '${name}' should be ${types.join(' or ')}, got ${typeOf(value)}`);
    if (Array.isArray(property.enum) && !property.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) problems.push(`argument '${name}' is not one of ${property.enum.map((o) => JSON.stringify(o)).join(', ')}`);
  }
  return problems;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: unknown): boolean {
  const actual = typeOf(value);
  if (type === 'number') return actual === 'number' || actual === 'integer';
  return actual === type;
}
