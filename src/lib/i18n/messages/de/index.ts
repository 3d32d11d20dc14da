// A translation: the same keys as the English catalogue, or the build fails (Record<MessageKey, ...>).
import type { MessageKey } from '../../keys.ts';
import workers from '../../../../../workers/messages/de/index.ts';
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

const catalogue: Record<MessageKey, string> = {
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
export default catalogue;
