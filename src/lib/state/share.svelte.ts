// The Share control's state: the lesson on screen (where the data comes from, its settings, the
// network and training settings) as a link, copied or handed to the system's share sheet, and as a QR
// code. The installed app has no address bar, so this is how a teacher hands a lesson to a class.
import type { TrainConfig } from '../../../workers/core/types.ts';
import { TABLE_SAMPLES } from '../../../workers/data/samples.ts';
import {
  DEFAULT_SYNTHETIC,
  SYNTHETIC_KINDS,
  type ParseOptions,
  type RecipeSettings,
} from '../../../workers/data/types.ts';
import { encodeConfig, withLesson } from './config-hash.ts';
import type { DataSource } from './data-backend.ts';
import { LongAction, checkAborted } from './long-action.svelte.ts';
import { QR_MAX_BYTES, makeQr, type QrCode } from './qr.ts';
import { LINK_DATA_LIMIT, packLesson, pickParse, type SharedLesson } from './share-link.ts';

/** The data session's part a link is made of (DatasetSession satisfies it). */
export interface ShareData {
  readonly source: DataSource | null;
  readonly settings: RecipeSettings;
  readonly parseOptions: ParseOptions;
  readonly file: Blob | null;
}

/** The training session's part (TrainingSession satisfies it). */
export interface ShareTraining {
  readonly form: { readonly config: TrainConfig | null };
}

/** What the link holds, for the sentence under it. */
export type LinkHolds =
  | { kind: 'config' }
  | { kind: 'sample'; name: string }
  | { kind: 'synthetic'; name: string }
  | { kind: 'file'; name: string; bytes: number }
  | { kind: 'too-big'; name: string; bytes: number; limit: number };

export class ShareState {
  /** The panel is open. */
  open = $state(false);
  link = $state<string | null>(null);
  holds = $state.raw<LinkHolds | null>(null);
  /** The link's QR code, or null while none is made or when the link is too long for one. */
  qr = $state.raw<QrCode | null>(null);
  /** Whether the link's bytes were more than a QR code holds. */
  qrTooLong = $state(false);
  /** The result of the last copy. */
  copied = $state<'idle' | 'copied' | 'failed'>('idle');
  /** Settings not valid: no link can be made. */
  invalid = $state(false);
  readonly action = new LongAction<'share.building'>();

  readonly #data: () => ShareData;
  readonly #training: () => ShareTraining;

  constructor(data: () => ShareData, training: () => ShareTraining) {
    this.#data = data;
    this.#training = training;
  }

  /** The lesson the screen shows, as the link carries it (null without data). */
  async lesson(): Promise<SharedLesson | null> {
    const d = this.#data();
    const s = d.source;
    if (!s) return null;
    const settings = $state.snapshot(d.settings) as RecipeSettings;
    const parse = pickParse($state.snapshot(d.parseOptions) as ParseOptions);
    if (s.kind === 'sample')
      return { source: { kind: 'sample', id: s.sample.id }, settings, parse, data: null };
    if (s.kind === 'synthetic')
      return {
        source: {
          kind: 'synthetic',
          synthetic: s.synthetic,
          options: { ...DEFAULT_SYNTHETIC, ...$state.snapshot(s.options) },
        },
        settings,
        parse,
        data: null,
      };
    const file = d.file;
    const bytes = file ? new Uint8Array(await file.arrayBuffer()) : null;
    return {
      source: {
        kind: 'file',
        name: s.name,
        type: file?.type ?? 'text/csv',
        size: bytes?.length ?? 0,
      },
      settings,
      parse,
      data: bytes,
    };
  }

  /** Makes the link (for the page at `base`) and its QR code. */
  async build(base: string): Promise<void> {
    this.copied = 'idle';
    const config = this.#training().form.config;
    this.invalid = config === null;
    if (!config) {
      this.link = null;
      this.qr = null;
      this.holds = null;
      return;
    }
    await this.action.run('share.building', 3, async (step, signal) => {
      const lesson = await this.lesson();
      step();
      checkAborted(signal);
      const packed = lesson ? await packLesson(lesson) : null;
      step();
      checkAborted(signal);
      const link = `${base}#${withLesson(encodeConfig(config), packed?.packed ?? null)}`;
      const qr = await makeQr(link);
      step();
      checkAborted(signal);
      this.link = link;
      this.qr = qr;
      this.qrTooLong = qr === null && new TextEncoder().encode(link).length > QR_MAX_BYTES;
      this.holds = holdsOf(lesson, packed?.dataIncluded ?? false, packed?.compressedBytes ?? 0);
    });
  }

  /** Opens the panel with a fresh link. */
  async show(base: string): Promise<void> {
    this.open = true;
    await this.build(base);
  }

  close(): void {
    this.action.cancel();
    this.open = false;
  }

  get canShare(): boolean {
    return typeof navigator !== 'undefined' && typeof navigator.share === 'function';
  }

  async copy(): Promise<void> {
    if (!this.link) return;
    try {
      await navigator.clipboard.writeText(this.link);
      this.copied = 'copied';
    } catch {
      this.copied = 'failed';
    }
  }

  /** The system's share sheet (where the browser has one); a dismissed sheet is not a failure. */
  async share(title: string): Promise<void> {
    if (!this.link || !this.canShare) return;
    try {
      await navigator.share({ title, url: this.link });
    } catch {
      // dismissed, or not allowed here: the link can still be copied
    }
  }
}

function holdsOf(lesson: SharedLesson | null, dataIncluded: boolean, bytes: number): LinkHolds {
  if (!lesson) return { kind: 'config' };
  const s = lesson.source;
  if (s.kind === 'sample')
    return { kind: 'sample', name: TABLE_SAMPLES.find((x) => x.id === s.id)?.title ?? s.id };
  if (s.kind === 'synthetic')
    return {
      kind: 'synthetic',
      name: SYNTHETIC_KINDS.find((x) => x.kind === s.synthetic)?.label ?? s.synthetic,
    };
  if (dataIncluded) return { kind: 'file', name: s.name, bytes };
  return { kind: 'too-big', name: s.name, bytes, limit: LINK_DATA_LIMIT };
}
