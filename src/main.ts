import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { AppStatus } from './lib/state/app-status.svelte.ts';
import { i18n } from './lib/i18n/i18n.svelte.ts';

const status = new AppStatus();
const target = document.getElementById('app');
if (!target) throw new Error('The page has no #app element.');
// The first language's catalogue (a lazy chunk) loads before anything shows, so no text appears as a key.
await i18n.start().catch(() => undefined);
mount(App, { target, props: { status } });
void status.start();
