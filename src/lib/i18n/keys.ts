// Every message key the page can show: the page's areas and the workers' messages (English is the
// source catalogue).
import type en from './messages/en/index.ts';

export type MessageKey = keyof typeof en;
export type { Msg, MsgParams } from '../../../workers/messages/index.ts';
