import '@mantine/core/styles.css';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { createUserManager, loadConfig } from './auth/oidc';

// The server writes a fresh nonce into this tag on every page load; Mantine's <style> elements carry it (CSP).
const styleNonce = document.querySelector('meta[name="csp-nonce"]')?.getAttribute('content') ?? undefined;
const root = createRoot(document.getElementById('root') as HTMLElement);

loadConfig()
  .then((config) => root.render(<App manager={createUserManager(config)} styleNonce={styleNonce} />))
  .catch((error: unknown) => {
    root.render(
      <p role="alert">{error instanceof Error ? error.message : 'The console could not start.'}</p>,
    );
  });
