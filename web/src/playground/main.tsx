// Monaco's web workers, bundled by Vite from node_modules (GraphiQL 5's own Vite setup): no CDN.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './playground.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Playground } from './Playground';

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <Playground />
  </StrictMode>,
);
