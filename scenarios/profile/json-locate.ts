// Finds where and in which field a JSON text goes wrong, so an error can say
// "line 12, column 5, in shape[3].rate" rather than JSON.parse's bare "Unexpected token".
// Only called after JSON.parse has failed. Pure; a small recursive-descent scanner over the text.

export interface JsonSyntaxProblem {
  line: number;
  column: number;
  /** Field being read when the text went wrong: ["shape", 3, "rate"]. */
  path: Array<string | number>;
  /** What is wrong, in words ("expected ',' or '}' after a field value"). */
  problem: string;
  /** The text ended before the JSON did: the file is probably truncated. */
  truncated: boolean;
}

class Stop {
  constructor(
    readonly at: number,
    readonly path: Array<string | number>,
    readonly problem: string,
    readonly truncated: boolean,
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function locateJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const stop = (path: Array<string | number>, problem: string): never => {
    const truncated = i >= text.length;
    throw new Stop(i, path, problem, truncated);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const shown = () => (i < text.length ? `found ${JSON.stringify(text[i])}` : 'found end of file');

  const string = (path: Array<string | number>): string => {
    const start = ++i; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) return JSON.parse(text.slice(start - 1, ++i)) as string;
      if (c < 0x20) stop(path, 'unescaped control character (a line break?) inside a string');
      if (c === 0x5c) {
        i++;
        if (i < text.length && !'"\\/bfnrtu'.includes(text[i]!)) stop(path, `bad escape "\\${text[i]}" in a string`);
        if (text[i] === 'u' && !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5)))
          stop(path, 'bad \\u escape in a string');
      }
      i++;
    }
    return stop(path, 'a string is not closed with a double quote');
  };

  const value = (path: Array<string | number>): void => {
    ws();
    const c = text[i];
    if (c === '{') return object(path);
    if (c === '[') return array(path);
    if (c === '"') return void string(path);
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
      const rest = text.slice(i);
      if (rest && word.startsWith(rest)) {
        i = text.length;
        stop(path, `"${rest}" is cut off`);
      }
    }
    NUMBER.lastIndex = i;
    if (c !== undefined && NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return;
    }
    stop(path, `expected a value (number, string, true/false/null, object or array), ${shown()}`);
  };

  const object = (path: Array<string | number>): void => {
    i++;
    ws();
    if (text[i] === '}') return void i++;
    let last: string | undefined;
    for (;;) {
      ws();
      if (text[i] !== '"') {
        // Point at the field just read: the mistake is usually right after it (",," or "},").
        if (last === undefined) stop(path, `expected a double-quoted field name, ${shown()}`);
        stop(
          [...path, last!],
          `expected the next double-quoted field name after this field, ${shown()}${text[i] === '}' ? ' (trailing comma?)' : ''}`,
        );
      }
      const key = string(path);
      last = key;
      ws();
      if (text[i] !== ':') stop([...path, key], `expected ':' after the field name, ${shown()}`);
      i++;
      value([...path, key]);
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') return void i++;
      stop([...path, key], `expected ',' or '}' after the value of this field, ${shown()}`);
    }
  };

  const array = (path: Array<string | number>): void => {
    i++;
    ws();
    if (text[i] === ']') return void i++;
    for (let n = 0; ; n++) {
      ws();
      if (text[i] === ']') stop([...path, n], "trailing comma before ']'");
      value([...path, n]);
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') return void i++;
      stop([...path, n], `expected ',' or ']' after this array item, ${shown()}`);
    }
  };

  try {
    value([]);
    ws();
    if (i < text.length) stop([], `unexpected ${JSON.stringify(text[i])} after the end of the JSON document`);
    return undefined;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const before = text.slice(0, e.at).split('\n');
    return {
      line: before.length,
      column: before[before.length - 1]!.length + 1,
      path: e.path,
      problem: e.problem,
      truncated: e.truncated,
    };
  }
}
