// Check stage: the offline rules and the server's answers, turned into violations that point at a line.
import type { ValidateResult } from './kestra/api.js';
import { lintFlow } from './lint.js';
import {
  flowStart,
  positionOfDuplicateId,
  positionOfLabel,
  positionOfPath,
  positionOfType,
  type Position,
} from './positions.js';
import { flowName, type FlowDoc, type Severity, type Violation } from './types.js';

/** The verdict on one flow (or on a file that held no readable flow). */
export interface CheckedFlow {
  file: string;
  line: number;
  flow?: FlowDoc;
  violations: Violation[];
}

/** Groups parse violations and flows by file and document, runs the offline rules on each flow. */
export function checkOffline(flows: FlowDoc[], parseViolations: Violation[]): CheckedFlow[] {
  const checked: CheckedFlow[] = flows.map((flow) => ({
    file: flow.file,
    line: flow.line,
    flow,
    violations: lintFlow(flow),
  }));
  // A parse violation belongs to the flow whose document holds its line, else it stands for its file.
  for (const v of parseViolations) {
    const owner = ownerOf(checked, v);
    if (owner) owner.violations.unshift(v);
    else checked.push({ file: v.file, line: v.line, violations: [v] });
  }
  return sortChecked(checked);
}

/** Two documents with the same namespace and id would overwrite each other on deploy: name both files. */
export function flagDuplicateFlows(checked: CheckedFlow[]): void {
  const seen = new Map<string, FlowDoc>();
  for (const c of checked) {
    const flow = c.flow;
    if (!flow?.id || !flow.namespace) continue;
    const key = flowName(flow);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, flow);
      continue;
    }
    const pos = positionOfPath(flow, 'id') ?? flowStart(flow);
    c.violations.push({
      file: flow.file,
      line: pos.line,
      column: pos.column,
      flow: key,
      path: 'id',
      message: `flow ${key} is also defined in ${first.file}:${first.line}: give one of them another id or namespace`,
      severity: 'error',
      origin: 'lint',
    });
  }
}

/** The flow whose document spans the violation's line (a document that did not parse has no flow). */
function ownerOf(checked: CheckedFlow[], v: Violation): CheckedFlow | undefined {
  return checked.find((c) => {
    if (c.file !== v.file || !c.flow) return false;
    const lines = c.flow.source.split('\n').length;
    return v.line > c.flow.lineOffset && v.line <= c.flow.lineOffset + lines;
  });
}

export function sortChecked(checked: CheckedFlow[]): CheckedFlow[] {
  return checked.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

/** Adds the server's verdicts: `results[i]` is the answer for `flows[i]`. */
export function addServerResults(checked: CheckedFlow[], flows: FlowDoc[], results: ValidateResult[]): void {
  const byFlow = new Map(checked.filter((c) => c.flow).map((c) => [c.flow as FlowDoc, c]));
  flows.forEach((flow, i) => {
    const result = results[i];
    const target = byFlow.get(flow);
    if (!result || !target) return;
    target.violations.push(...serverViolations(flow, result));
  });
}

const PREFIXES = [/^Validation error:\s*/, /^Invalid entity:\s*/];

/** A `ValidateConstraintViolation` as violations at the lines it is about (docs/kestra-api.md#validation). */
export function serverViolations(flow: FlowDoc, result: ValidateResult): Violation[] {
  const out: Violation[] = [];
  const add = (message: string, severity: Severity, pos: Position, path?: string): void => {
    out.push({
      file: flow.file,
      line: pos.line,
      column: pos.column,
      flow: flowName(flow),
      path,
      message,
      severity,
      origin: 'server',
    });
  };
  if (result.constraints) {
    for (const line of result.constraints.split('\n')) {
      const text = PREFIXES.reduce((s, re) => s.replace(re, ''), line.trim());
      if (!text) continue;
      for (const item of splitConstraint(text)) {
        const { pos, path } = locateConstraint(flow, item);
        add(item, 'error', pos, path);
      }
    }
  }
  // Blank entries say nothing: an annotation without text would only confuse.
  const said = (list: string[] | undefined): string[] => (list ?? []).filter((s) => s.trim() !== '');
  for (const w of said(result.warnings)) add(w, 'warning', locateWarning(flow, w));
  for (const p of said(result.deprecationPaths)) {
    add(`'${p}' is deprecated: see the Kestra docs for its replacement`, 'warning', at(flow, p), p);
  }
  for (const info of said(result.infos)) add(info, 'notice', locateWarning(flow, info));
  if (result.outdated) {
    add(
      "the flow's 'revision' is not the next revision on the server: remove the 'revision' line and let Kestra number it",
      'warning',
      at(flow, 'revision'),
      'revision',
    );
  }
  return out;
}

/** `Invalid Flow: A, B` lists several flow-level rules in one line; commas inside `[…]` belong to a rule. */
export function splitConstraint(text: string): string[] {
  const m = /^:?\s*Invalid Flow:\s*(.*)$/s.exec(text);
  if (!m) return [text];
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  const body = m[1] ?? '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0 && /^,\s+[A-Z]/.test(body.slice(i, i + 3))) {
      parts.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(body.slice(start).trim());
  return parts.filter(Boolean).map((p) => `Invalid Flow: ${p}`);
}

function at(flow: FlowDoc, path: string): Position {
  return positionOfPath(flow, path) ?? flowStart(flow);
}

function locateConstraint(flow: FlowDoc, text: string): { pos: Position; path?: string } {
  const yamlLine = /\(at line (\d+)\)/.exec(text);
  if (yamlLine) {
    // A line outside the document (a server counting differently) falls back to the flow's start.
    const line = Number(yamlLine[1]);
    const inside = line >= 1 && line <= flow.lineCounter.lineStarts.length;
    return { pos: inside ? { line: flow.lineOffset + line, column: 1 } : flowStart(flow) };
  }
  const type = /Invalid type: ([\w.$]+)/.exec(text);
  if (type?.[1]) return { pos: positionOfType(flow, type[1]) ?? flowStart(flow) };
  const field = /Unrecognized field "([^"]+)"/.exec(text);
  if (field?.[1]) return { pos: at(flow, field[1]), path: field[1] };
  const dup = /Duplicate (task|trigger|input|output) (?:id )?with name \[([^\],]+)/.exec(text);
  if (dup?.[1] && dup[2]) {
    const pos = positionOfDuplicateId(flow, dup[2].trim(), dup[1] as 'task' | 'trigger' | 'input' | 'output');
    return { pos: pos ?? flowStart(flow) };
  }
  const label = /offending label: ([^=\s]+)=/.exec(text);
  if (label?.[1]) return { pos: positionOfLabel(flow, label[1]) ?? at(flow, 'labels'), path: 'labels' };
  // `<propertyPath>: <message>` (bean violations); the path has no spaces.
  const prop = /^([A-Za-z_$][\w$.[\]-]*): /.exec(text);
  if (prop?.[1] && prop[1] !== 'Invalid Flow') return { pos: at(flow, prop[1]), path: prop[1] };
  return { pos: flowStart(flow) };
}

function locateWarning(flow: FlowDoc, text: string): Position {
  const type = /(io\.kestra\.[\w.$]+)/.exec(text);
  return (type?.[1] && positionOfType(flow, type[1])) || flowStart(flow);
}

/** With `namespace` and no `override-namespace`, every flow must already declare that namespace. */
export function flagNamespaceMismatch(checked: CheckedFlow[], namespace: string): void {
  for (const c of checked) {
    const flow = c.flow;
    if (!flow?.namespace || flow.namespace === namespace) continue;
    const pos = positionOfPath(flow, 'namespace') ?? flowStart(flow);
    c.violations.push({
      file: flow.file,
      line: pos.line,
      column: pos.column,
      flow: flowName(flow),
      path: 'namespace',
      message: `flow declares namespace '${flow.namespace}' but the 'namespace' input is '${namespace}': fix the flow, or set 'override-namespace: true' to deploy it to '${namespace}'`,
      severity: 'error',
      origin: 'deploy',
    });
  }
}
