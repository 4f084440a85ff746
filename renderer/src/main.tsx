import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createIpcClient } from './api/ipc-client.js';
import { createWsClient, wireUrlFor } from './api/ws-client.js';
// Global styles first, then what several features share; each feature's own stylesheet is
// imported by its component and so comes after these, free to refine them.
import './styles.css';
import './ui/alerts.css';
import './ui/badge.css';
import './ui/dialog.css';
import './ui/form.css';
import './ui/message-card.css';
import './ui/virtual-list.css';
import { App } from './app.js';
import { useStore } from './store/store.js';
import { reportUncaughtErrors } from './store/uncaught-errors.js';

// First, so that anything thrown outside rendering from here on is shown, not only logged.
reportUncaughtErrors(window);

// The desktop app's preload exposes `window.trajdbg`; in a browser the serve host answers on a
// same-origin WebSocket (it authenticated this page with a cookie when it served it).
const client = window.trajdbg ? createIpcClient(window.trajdbg) : createWsClient(wireUrlFor(window.location));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void useStore.getState().connect(client);
