import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// A Google ADK session as the ADK (for TypeScript, 2.0; the Python one writes the same fields with
// `model_dump_json(by_alias=True)`, as `adk run --save_session` does) kept it for a weather agent,
// run against a scripted model: a response with a thought and two calls, one of whose tools threw,
// then the answer. The Python default dump (no `by_alias`) is the same in snake case.

const session = {
  "id": "e974f0aa-b8fd-4c3b-aea9-f9432e815f00",
  "appName": "weather_app",
  "userId": "test_user",
  "state": {},
  "events": [
    {"invocationId": "e-f2541d6a-c3f4-4e56-9256-15abef94edba", "author": "user", "actions": {"stateDelta": {}, "artifactDelta": {}, "requestedAuthConfigs": {}, "requestedToolConfirmations": {}}, "content": {"role": "user", "parts": [{"text": "Weather in Tokyo and Atlantis?"}]}, "id": "fS9oJCXs", "longRunningToolIds": [], "timestamp": 1796671628490},
    {"invocationId": "e-f2541d6a-c3f4-4e56-9256-15abef94edba", "author": "weather_agent", "id": "YNOhBZJe", "actions": {"stateDelta": {}, "artifactDelta": {}, "requestedAuthConfigs": {}, "requestedToolConfirmations": {}}, "longRunningToolIds": [], "timestamp": 1796671628492, "content": {"role": "model", "parts": [{"text": "Look both up.", "thought": true}, {"functionCall": {"id": "adk-c1", "name": "get_weather", "args": {"city": "Tokyo"}}}, {"functionCall": {"id": "adk-c2", "name": "get_weather", "args": {"city": "Atlantis"}}}]}, "usageMetadata": {"promptTokenCount": 120, "candidatesTokenCount": 30, "thoughtsTokenCount": 12, "totalTokenCount": 162, "cachedContentTokenCount": 64}, "finishReason": "STOP", "modelVersion": "gemini-2.5-flash"},
    {"invocationId": "e-f2541d6a-c3f4-4e56-9256-15abef94edba", "author": "weather_agent", "content": {"role": "user", "parts": [{"functionResponse": {"id": "adk-c1", "name": "get_weather", "response": {"status": "success", "report": "Sunny, 22C in Tokyo"}}}, {"functionResponse": {"id": "adk-c2", "name": "get_weather", "response": {"error": "Error in tool 'get_weather': unknown city: Atlantis"}}}]}, "actions": {"stateDelta": {}, "artifactDelta": {}, "requestedAuthConfigs": {}, "requestedToolConfirmations": {}}, "timestamp": 1796671628496, "id": "b8EetyNW", "longRunningToolIds": []},
    {"invocationId": "e-f2541d6a-c3f4-4e56-9256-15abef94edba", "author": "weather_agent", "id": "IdpW8QVp", "actions": {"stateDelta": {}, "artifactDelta": {}, "requestedAuthConfigs": {}, "requestedToolConfirmations": {}}, "longRunningToolIds": [], "timestamp": 1796671628497, "content": {"role": "model", "parts": [{"text": "Tokyo is sunny, 22C. Atlantis is not a city I know."}]}, "usageMetadata": {"promptTokenCount": 210, "candidatesTokenCount": 18, "totalTokenCount": 228}, "finishReason": "STOP", "modelVersion": "gemini-2.5-flash"}
  ],
  "lastUpdateTime": 1796671628497,
};

/** The session as Python's `model_dump_json()` writes it: every field name in snake case (a tool's arguments and response as they are). */
function snakeCase(value: unknown, verbatim = false): unknown {
  if (Array.isArray(value)) return value.map((v) => snakeCase(v, verbatim));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [verbatim ? key : key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeCase(v, verbatim || key === 'args' || key === 'response' || key === 'state')]));
}

const messages = [
  { role: 'user', content: 'Weather in Tokyo and Atlantis?' },
  {
    role: 'assistant',
    content: null,
    reasoning_content: 'Look both up.',
    tool_calls: [
      { id: 'adk-c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } },
      { id: 'adk-c2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Atlantis"}' } },
    ],
  },
  { role: 'tool', tool_call_id: 'adk-c1', name: 'get_weather', content: '{"status":"success","report":"Sunny, 22C in Tokyo"}' },
  { role: 'tool', tool_call_id: 'adk-c2', name: 'get_weather', is_error: true, content: '{"error": "Tool execution failed: Error in tool \'get_weather\': unknown city: Atlantis"}' },
  { role: 'assistant', content: 'Tokyo is sunny, 22C. Atlantis is not a city I know.' },
];

describe('Google ADK sessions', () => {
  it('reads a saved session: the events\' contents as turns, a tool that threw as a failed call, each response\'s usage and model', () => {
    const text = JSON.stringify(session, null, 2);
    expect(detectFormat(text)).toBe('adk-session');
    const { trajectories, problems } = importText(text, 'weather.session.json');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t).toMatchObject({ id: session.id, model: 'gemini-2.5-flash' });
    expect(t.messages).toEqual(messages);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 2, tool_calls_exec_error: 1, finished_naturally: true });
    // The thoughts count in the completion, and are shown apart, as are the cached prompt tokens.
    expect(t.callStats).toEqual([
      { usage: { prompt_tokens: 120, completion_tokens: 42, total_tokens: 162, prompt_tokens_details: { cached_tokens: 64 }, completion_tokens_details: { reasoning_tokens: 12 } } },
      { usage: { prompt_tokens: 210, completion_tokens: 18, total_tokens: 228 } },
    ]);
  });

  it('reads the same session dumped in snake case', () => {
    const text = JSON.stringify(snakeCase(session));
    expect(text).toContain('"function_call"');
    expect(text).toContain('"usage_metadata"');
    expect(detectFormat(text)).toBe('adk-session');
    const t = importText(text, 's.json').trajectories[0]!;
    expect(t.messages).toEqual(messages);
    expect(t.callStats).toHaveLength(2);
    expect(t.model).toBe('gemini-2.5-flash');
  });

  it('leaves out the partial events of a streamed response, and ends with the error an event records', () => {
    const [user, call, results, answer] = session.events;
    const streamed = { ...answer!, partial: true, content: { role: 'model', parts: [{ text: 'Tokyo is' }] } };
    const failed = { invocationId: 'e-2', author: 'weather_agent', id: 'err', timestamp: 1, errorCode: 'RESOURCE_EXHAUSTED', errorMessage: 'Quota exceeded' };
    const t = importText(JSON.stringify({ ...session, events: [user, call, results, streamed, answer, user, failed] }), 's.json').trajectories[0]!;
    expect(t.messages.map((m) => m.content)).toContain('Tokyo is sunny, 22C. Atlantis is not a city I know.');
    expect(t.messages.map((m) => m.content)).not.toContain('Tokyo is');
    expect(t).toMatchObject({ stopReason: 'RESOURCE_EXHAUSTED: Quota exceeded', recorded: { finished_naturally: false } });
  });

  it('refuses a session whose events are not objects, naming the field', () => {
    expect(() => importText(JSON.stringify({ ...session, events: [3] }), 's.json')).toThrow(/looked like a Google ADK session .*: events\[0\]: .*expected object/);
  });
});
