// Finished models: spec + weights + recipe + class labels + metrics.
import type { IDBPTransaction } from 'idb';
import { plainNetwork, type PackedNetwork } from '../core/packed.ts';
import type { LabDB, ModelRecord } from './schema.ts';
import type { LabStore } from './store.ts';
import { StoreError } from './errors.ts';
import { MessageError, msg } from '../messages/index.ts';
import { newId, uniqueName } from './names.ts';
import { ModelRecordSchema, issueMsg } from './schemas/index.ts';
import * as v from 'valibot';

/** A model to save; its network may be packed (a trainer's snapshot): it is stored plain. */
export type NewModel = Omit<ModelRecord, 'id' | 'created' | 'network'> & {
  network: PackedNetwork;
  created?: number;
};

/** The names of the stored models (read from the name index, without loading any weights). */
async function modelNames(
  tx: IDBPTransaction<LabDB, 'models'[], 'readwrite'>,
  except: string | null = null,
): Promise<Set<string>> {
  const names = new Set<string>();
  let c = await tx.objectStore('models').index('name').openKeyCursor();
  while (c) {
    if (c.primaryKey !== except) names.add(c.key);
    c = await c.continue();
  }
  return names;
}

/** The model as a file would carry it, or a MessageError naming the field that would not read back
 * (the same checks as an import: a model the app keeps is a model it can export and import). */
export function checkModel(model: ModelRecord): void {
  const r = v.safeParse(ModelRecordSchema, model, { abortEarly: true, abortPipeEarly: true });
  if (!r.success) throw new MessageError(issueMsg(r.issues[0], 'model'));
}

/** Saves a model under a unique name (a clash gets " (2)"); never overwrites. */
export async function saveModel(store: LabStore, input: NewModel): Promise<ModelRecord> {
  const copy = {
    ...structuredClone({ ...input, network: null }),
    network: plainNetwork(input.network),
  };
  checkModel({ ...copy, id: 'new', created: input.created ?? Date.now() });
  return store.write(['models'], async (tx) => {
    const model: ModelRecord = {
      ...copy,
      id: newId(),
      created: input.created ?? Date.now(),
      name: uniqueName(copy.name, await modelNames(tx)),
    };
    await tx.objectStore('models').add(model);
    return model;
  });
}

export async function getModel(store: LabStore, id: string): Promise<ModelRecord | undefined> {
  return store.read((db) => db.get('models', id));
}

/** All models, newest first. */
export async function listModels(store: LabStore): Promise<ModelRecord[]> {
  return (await store.read((db) => db.getAllFromIndex('models', 'created'))).reverse();
}

export async function renameModel(store: LabStore, id: string, name: string): Promise<string> {
  return store.write(['models'], async (tx) => {
    const model = await tx.objectStore('models').get(id);
    if (!model) throw new StoreError('not-found', msg('store.error.modelGone'));
    const given = uniqueName(name, await modelNames(tx, id));
    await tx.objectStore('models').put({ ...model, name: given });
    return given;
  });
}

/** Deletes a model; returns it so that an undo can put it back. */
export async function deleteModel(store: LabStore, id: string): Promise<ModelRecord | null> {
  return store.write(['models'], async (tx) => {
    const model = await tx.objectStore('models').get(id);
    if (!model) return null;
    await tx.objectStore('models').delete(id);
    return model;
  });
}

/** Undo of deleteModel: puts it back (a new id and a "(2)" name if something took its place). */
export async function restoreModel(store: LabStore, model: ModelRecord): Promise<ModelRecord> {
  return store.write(['models'], async (tx) => {
    const taken = (await tx.objectStore('models').getKey(model.id)) !== undefined;
    const back: ModelRecord = {
      ...model,
      id: taken ? newId() : model.id,
      name: uniqueName(model.name, await modelNames(tx)),
    };
    await tx.objectStore('models').add(back);
    return back;
  });
}
