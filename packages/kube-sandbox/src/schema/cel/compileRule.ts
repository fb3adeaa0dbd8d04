import { CelEnv, CelResult, parse, plan } from '@bufbuild/cel';
import { KUBERNETES_CEL_ENV } from './environment';

/**
 * Compiling one `x-kubernetes-validations` expression once (cached by its
 * text), as k8s.io/apiextensions-apiserver
 * pkg/apiserver/schema/cel/compilation.go (v0.32.0) does when a CRD is
 * stored: it records whether the rule uses `oldSelf` (a transition rule).
 * @bufbuild/cel finds unknown functions only when it calls them, so
 * compiling also walks the syntax tree and reports every call that no
 * function of the environment can take.
 */

/** A parsed CEL expression (cel-spec's `Expr` message). */
type Expr = ReturnType<typeof parse>['expr'];

export type CelProgram = (bindings: Record<string, unknown>) => CelResult;

export interface CompiledExpression {
  program?: CelProgram;
  usesOldSelf: boolean;
  /** Why the expression cannot be evaluated here. */
  problem?: string;
}

/** Calls the planner itself handles (operators that are not functions). */
const PLANNED_OPERATORS = new Set([
  '_[_]',
  '_[?_]',
  '_?._',
  '_?_:_',
  '_&&_',
  '_||_',
  '@not_strictly_false',
  '__not_strictly_false__',
]);

function hasOverload(
  env: CelEnv,
  name: string,
  isMethod: boolean,
  argCount: number,
): boolean {
  const group = env.funcs.find(name);
  if (!group) return false;
  for (const func of group) {
    if ((func.target !== undefined) === isMethod) {
      if (func.arguments.length === argCount) return true;
    }
  }
  return false;
}

/** `a.b.c` of a select chain of identifiers (a namespaced function's prefix). */
function qualifiedName(expr: Expr): string | undefined {
  const kind = expr.exprKind;
  if (kind.case === 'identExpr') return kind.value.name;
  if (kind.case === 'selectExpr' && kind.value.operand) {
    const prefix = qualifiedName(kind.value.operand);
    return prefix && `${prefix}.${kind.value.field}`;
  }
  return undefined;
}

interface ExprFacts {
  unknownCalls: Set<string>;
  usesOldSelf: boolean;
}

function inspect(env: CelEnv, expr: Expr | undefined, facts: ExprFacts) {
  if (!expr) return;
  const kind = expr.exprKind;
  switch (kind.case) {
    case 'identExpr':
      if (kind.value.name === 'oldSelf') facts.usesOldSelf = true;
      return;
    case 'selectExpr':
      inspect(env, kind.value.operand, facts);
      return;
    case 'callExpr': {
      const call = kind.value;
      const argCount = call.args.length;
      call.args.forEach(arg => inspect(env, arg, facts));
      if (PLANNED_OPERATORS.has(call.function)) {
        inspect(env, call.target, facts);
        return;
      }
      if (call.target) {
        const prefix = qualifiedName(call.target);
        const namespaced = prefix && `${prefix}.${call.function}`;
        if (namespaced && hasOverload(env, namespaced, false, argCount)) return;
        inspect(env, call.target, facts);
        if (!hasOverload(env, call.function, true, argCount)) {
          facts.unknownCalls.add(`<receiver>.${call.function}()`);
        }
      } else if (!hasOverload(env, call.function, false, argCount)) {
        facts.unknownCalls.add(`${call.function}()`);
      }
      return;
    }
    case 'listExpr':
      kind.value.elements.forEach(e => inspect(env, e, facts));
      return;
    case 'structExpr':
      for (const entry of kind.value.entries) {
        if (entry.keyKind.case === 'mapKey') {
          inspect(env, entry.keyKind.value, facts);
        }
        inspect(env, entry.value, facts);
      }
      return;
    case 'comprehensionExpr': {
      const c = kind.value;
      for (const part of [
        c.iterRange,
        c.accuInit,
        c.loopCondition,
        c.loopStep,
        c.result,
      ]) {
        inspect(env, part, facts);
      }
      return;
    }
    default:
  }
}

const cache = new Map<string, CompiledExpression>();

/** Parses, checks and plans an expression; the result is cached by text. */
export function compileExpression(
  text: string,
  env: CelEnv = KUBERNETES_CEL_ENV,
): CompiledExpression {
  const cached = env === KUBERNETES_CEL_ENV ? cache.get(text) : undefined;
  if (cached) return cached;
  let result: CompiledExpression;
  try {
    const parsed = parse(text);
    const facts: ExprFacts = { unknownCalls: new Set(), usesOldSelf: false };
    inspect(env, parsed.expr, facts);
    if (facts.unknownCalls.size > 0) {
      result = {
        usesOldSelf: facts.usesOldSelf,
        problem: `undeclared function: ${[...facts.unknownCalls].join(', ')}`,
      };
    } else {
      result = {
        usesOldSelf: facts.usesOldSelf,
        program: plan(env, parsed) as CelProgram,
      };
    }
  } catch (error) {
    result = {
      usesOldSelf: false,
      problem: `compile error: ${String((error as Error).message ?? error)
        .split('\n')[0]
        .trim()}`,
    };
  }
  if (env === KUBERNETES_CEL_ENV) cache.set(text, result);
  return result;
}
