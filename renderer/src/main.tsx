import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createIpcClient } from './api/ipc-client.js';
import { createWsClient, wireUrlFor } from './api/ws-client.js';
import { App } from './app.js';
import { useStore } from './store/store.js';
import './styles.css';

// The desktop app's preload exposes `window.trajdbg`; in a browser the serve host answers on a
// same-origin WebSocket (it authenticated this page with a cookie when it served it).
const client = window.trajdbg ? createIpcClient(window.trajdbg) : createWsClient(wireUrlFor(window.location));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void useStore.getState().connect(client);
