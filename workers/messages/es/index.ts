// The workers' messages in this language, one JSON file per area (keys start with the file's name).
import labs from './labs.json';
import reading from './reading.json';
import store from './store.json';
import trainer from './trainer.json';

export default { ...store, ...trainer, ...reading, ...labs };
