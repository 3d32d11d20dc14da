// The workers' messages in this language, one JSON file per area (keys start with the file's name).
import labs from './labs.json';
import predicting from './predicting.json';
import reading from './reading.json';
import recipe from './recipe.json';
import store from './store.json';
import trainer from './trainer.json';

export default { ...store, ...trainer, ...reading, ...labs, ...recipe, ...predicting };
