import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { AppStatus } from './lib/state/app-status.svelte.ts';

const status = new AppStatus();
const target = document.getElementById('app');
if (!target) throw new Error('The page has no #app element.');
mount(App, { target, props: { status } });
void status.start();
