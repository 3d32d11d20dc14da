// A translation: the same keys as the English catalogue, or the build fails (Record<MessageKey, ...>).
import type { MessageKey } from '../../keys.ts';
import workers from '../../../../../workers/messages/es/index.ts';
import app from './app.json';
import runs from './runs.json';

const catalogue: Record<MessageKey, string> = { ...app, ...runs, ...workers };
export default catalogue;
