// Released flows: a FlowDoc that no longer holds its syntax tree, for flows kept after their checks.
import type { Document, LineCounter } from 'yaml';
import type { FlowDoc } from '../../model/types.js';
import { parseSource, type ParsedSource } from './parse.js';

/**
 * The same flow without its syntax tree in memory: the document is parsed again, once, only if a position is
 * asked for later. A repository of 10,000 flows would otherwise hold every tree (hundreds of MB).
 */
export function releaseDocument(flow: FlowDoc): FlowDoc {
  return new ReleasedFlow(flow);
}

/**
 * A class rather than a copy with two getters: 10,000 of them take ~1 MB instead of ~7 (no closures per
 * flow, and the fields stay in the object rather than in a separate property store).
 */
class ReleasedFlow implements FlowDoc {
  readonly file: string;
  readonly absolutePath: string;
  readonly docIndex: number;
  readonly line: number;
  readonly id?: string;
  readonly namespace?: string;
  readonly source: string;
  readonly lineOffset: number;
  #parsed: ParsedSource | undefined;

  constructor(flow: FlowDoc) {
    // Field by field: the original, which holds the tree, must not stay reachable from here.
    this.file = flow.file;
    this.absolutePath = flow.absolutePath;
    this.docIndex = flow.docIndex;
    this.line = flow.line;
    this.id = flow.id;
    this.namespace = flow.namespace;
    this.source = flow.source;
    this.lineOffset = flow.lineOffset;
  }

  get doc(): Document.Parsed {
    return this.load().doc;
  }

  get lineCounter(): LineCounter {
    return this.load().lineCounter;
  }

  private load(): ParsedSource {
    this.#parsed ??= parseSource(this.source);
    return this.#parsed;
  }
}
