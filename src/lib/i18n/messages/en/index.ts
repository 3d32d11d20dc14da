// English: the source catalogue. Its keys are the MessageKey type; es/ and de/ must have them all.
// One JSON file per area of the page (keys start with the file's name), plus the workers' messages.
import workers from '../../../../../workers/messages/en/index.ts';
import app from './app.json';
import data from './data.json';
import library from './library.json';
import predict from './predict.json';
import files from './files.json';
import launch from './launch.json';
import manifest from './manifest.json';
import progress from './progress.json';
import report from './report.json';
import runs from './runs.json';
import share from './share.json';
import learn from './learn.json';
import train from './train.json';

export default {
  ...app,
  ...data,
  ...library,
  ...predict,
  ...files,
  ...launch,
  ...manifest,
  ...progress,
  ...report,
  ...runs,
  ...share,
  ...learn,
  ...train,
  ...workers,
};
