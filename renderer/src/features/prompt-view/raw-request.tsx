import { useMemo } from 'react';
import type { ChatMessage } from '#shared/model/chat.js';
import { MonacoView } from '../monaco/monaco-view.js';
import { recordedChatRequest, type RequestParams } from '#shared/loop/chat-request.js';
import type { ToolSchema } from '#shared/model/chat.js';

/** The turn's chat request body as JSON, in a read-only editor. */
export function RawRequest({ sent, request, tools, turn }: { sent: readonly ChatMessage[]; request: Omit<RequestParams, 'n'>; tools: readonly ToolSchema[]; turn: number }) {
  const json = useMemo(() => JSON.stringify(recordedChatRequest(sent, request, tools), null, 2), [sent, request, tools]);
  return <MonacoView value={json} language="json" label={`Raw request of turn ${turn}`} className="raw-request" />;
}
