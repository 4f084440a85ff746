import { useMemo } from 'react';
import type { ChatMessage } from '../../../../shared/model/chat.js';
import { MonacoView } from '../monaco/monaco-view.js';
import { rawRequest } from './prompt-items.js';

/** The turn's chat request body as JSON, in a read-only editor. */
export function RawRequest({ sent, request, tools, turn }: { sent: readonly ChatMessage[]; request: { temperature: number; max_tokens?: number; tools: boolean }; tools: readonly unknown[]; turn: number }) {
  const json = useMemo(() => JSON.stringify(rawRequest(sent, request, tools), null, 2), [sent, request, tools]);
  return <MonacoView value={json} language="json" label={`Raw request of turn ${turn}`} className="raw-request" />;
}
