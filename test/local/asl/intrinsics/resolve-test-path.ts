/**
 * A minimal path resolver for intrinsic tests: `$`, `$.a.b[0]`, `$$.x.y` (context) and `$name.x`
 * (variables). The engine supplies the real one; these tests exercise the intrinsics, not JSONPath.
 */
export function resolverOver(input: unknown, context: unknown = {}, variables: Record<string, unknown> = {}) {
  return (path: string): unknown => {
    let root: unknown;
    let rest: string;
    if (path.startsWith('$$')) {
      root = context;
      rest = path.slice(2);
    } else if (/^\$[A-Za-z_]/.test(path)) {
      const name = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(path)![1]!;
      root = variables[name];
      rest = path.slice(name.length + 1);
    } else {
      root = input;
      rest = path.slice(1);
    }
    const steps = [...rest.matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)].map((match) => match[1] ?? Number(match[2]));
    return steps.reduce<unknown>((value, step) => (value as Record<string | number, unknown> | undefined)?.[step], root);
  };
}
