// Renderer entry: zod's settings (first: before any schema is built), styles, AG Grid modules,
// providers, the app.

import './lib/zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles/index.css';
import './lib/agGrid';
import { App } from './App';
import { SessionProvider } from './state/session';
import { ToastProvider } from './state/toast';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
createRoot(root).render(
  <StrictMode>
    <ToastProvider>
      <SessionProvider>
        <App />
      </SessionProvider>
    </ToastProvider>
  </StrictMode>,
);
