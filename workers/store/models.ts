// Finished models: spec + weights + recipe + class labels + metrics.
import { plainNetwork, type PackedNetwork } from '../core/packed.ts';
import type { ModelRecord } from './schema.ts';
import type { LabStore } from './store.ts';
import { StoreError } from './errors.ts';
import { newId, uniqueName } from './names.ts';

/** A model to save; its network may be packed (a trainer's snapshot): it is stored plain. */
export type NewModel = Omit<ModelRecord, 'id' | 'created' | 'network'> & {
  network: PackedNetwork;
  created?: number;
};

/** Saves a model under a unique name (a clash gets " (2)"); never overwrites. */
export async function saveModel(store: LabStore, input: NewModel): Promise<ModelRecord> {
  const copy = {
    ...structuredClone({ ...input, network: null }),
    network: plainNetwork(input.network),
  };
  return store.write(['models'], async (tx) => {
    const names = (await tx.objectStore('models').getAll()).map((m) => m.name);
    const model: ModelRecord = {
      ...copy,
      id: newId(),
      created: input.created ?? Date.now(),
      name: uniqueName(copy.name, names),
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
    const all = await tx.objectStore('models').getAll();
    const model = all.find((m) => m.id === id);
    if (!model) throw new StoreError('not-found', 'This model no longer exists.');
    const given = uniqueName(
      name,
      all.filter((m) => m.id !== id).map((m) => m.name),
    );
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
    const all = await tx.objectStore('models').getAll();
    const back: ModelRecord = {
      ...model,
      id: all.some((m) => m.id === model.id) ? newId() : model.id,
      name: uniqueName(
        model.name,
        all.map((m) => m.name),
      ),
    };
    await tx.objectStore('models').add(back);
    return back;
  });
}
