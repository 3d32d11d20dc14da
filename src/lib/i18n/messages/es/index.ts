// A translation: the same keys as the English catalogue, or the build fails (Record<MessageKey, ...>).
import type { MessageKey } from '../../keys.ts';
import workers from '../../../../../workers/messages/es/index.ts';
import app from './app.json';
import files from './files.json';

const catalogue: Record<MessageKey, string> = { ...app, ...files, ...workers };
export default catalogue;
