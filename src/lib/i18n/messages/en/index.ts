// English: the source catalogue. Its keys are the MessageKey type; es/ and de/ must have them all.
// One JSON file per area of the page (keys start with the file's name), plus the workers' messages.
import workers from '../../../../../workers/messages/en/index.ts';
import app from './app.json';
import files from './files.json';

export default { ...app, ...files, ...workers };
