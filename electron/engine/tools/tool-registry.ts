import type { ToolSchema } from '#shared/model/chat.js';
import type { ToolProvider } from './tool-provider.js';

/** All tools of a run behind one provider; `validNames` is the loop's `valid_tool_names`. */
export interface ToolRegistry extends ToolProvider {
  readonly validNames: ReadonlySet<string>;
}

/** Where a tool name is served: a provider, or nothing (an advertised-only schema). */
type Route = { provider: ToolProvider; label: string } | { provider: undefined; label: string };

/**
 * Routes each call to the provider that declared the tool; `extraSchemas` are advertised with no
 * executor (calling one rejects). A name declared by two sources throws here, naming the tool;
 * declared twice by one source, both schemas are advertised.
 */
export function createToolRegistry(providers: ToolProvider[], extraSchemas: ToolSchema[] = []): ToolRegistry {
  const routes = new Map<string, Route>();
  const schemas: ToolSchema[] = [];
  providers.forEach((provider, index) => {
    const label = provider.name ?? `tool provider #${index + 1}`;
    for (const schema of provider.schemas) addRoute(routes, schemas, schema, { provider, label });
  });
  for (const schema of extraSchemas) addRoute(routes, schemas, schema, { provider: undefined, label: 'the --tools schemas' });
  return {
    name: 'tool registry',
    schemas,
    validNames: new Set(routes.keys()),
    call: async (name, args, context) => {
      const route = routes.get(name);
      if (route === undefined) throw new Error(`unknown tool '${name}'`);
      if (route.provider === undefined) throw new Error(noExecutorMessage(name));
      return route.provider.call(name, args, context);
    },
    close: () => closeAll(providers),
  };
}

/** The rejection message for a tool that is advertised but has nothing to run it. */
export function noExecutorMessage(name: string): string {
  return `no executor for tool '${name}': pass --tool-endpoint or an MCP server that provides it`;
}

function addRoute(routes: Map<string, Route>, schemas: ToolSchema[], schema: ToolSchema, route: Route): void {
  const name = schema.function.name;
  const existing = routes.get(name);
  // One source declaring a name twice is the reference's case (its schemas are sent as given, its
  // valid names are a set): both schemas are advertised. Two sources claiming it stay ambiguous.
  if (existing !== undefined && existing.provider === route.provider) {
    schemas.push(schema);
    return;
  }
  if (existing !== undefined) {
    throw new Error(`duplicate tool name '${name}': declared by ${existing.label} and by ${route.label}`);
  }
  routes.set(name, route);
  schemas.push(schema);
}

/** Closes every provider, even if some fail; rethrows the first failure afterwards. */
async function closeAll(providers: ToolProvider[]): Promise<void> {
  const outcomes = await Promise.allSettled(providers.map(async (provider) => provider.close?.()));
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}
