// Points from a CSV file: columns x1,x2,label (classes 0, 1, ...) or x,y (a 1-D regression),
// header optional. A malformed file is refused with the line and the problem named.

export class CsvError extends Error {
  constructor(line, message) {
    super(line ? `Line ${line}: ${message}` : message);
    this.line = line;
  }
}

const HEADERS = { 3: ["x1", "x2", "label"], 2: ["x", "y"] };

function cells(text) {
  return text.split(",").map((cell) => cell.trim().replace(/^"(.*)"$/, "$1").trim());
}

function parseNumber(cell, line, column) {
  if (cell === "" || !Number.isFinite(Number(cell))) {
    throw new CsvError(line, `${column} is "${cell}", which is not a number.`);
  }
  return Number(cell);
}

// {inputs, targets} for the CSV text: labels 0/1 give one 0/1 target per row, more classes give
// one-hot rows; x,y rows give a 1-D input and its target. At most `maxPoints` rows and
// `maxClasses` classes (one output neuron each). Throws a CsvError.
export function parsePoints(text, { maxPoints, maxClasses }) {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/)
    .map((content, index) => ({ content: content.trim(), line: index + 1 }))
    .filter(({ content }) => content !== "");
  if (!lines.length) throw new CsvError(0, "The file is empty: expected rows of x1,x2,label or x,y.");
  let rows = lines.map(({ content, line }) => ({ values: cells(content), line }));
  const width = rows[0].values.length;
  if (!HEADERS[width]) {
    throw new CsvError(rows[0].line, `found ${width} column${width === 1 ? "" : "s"}; expected 3 `
      + "(x1,x2,label) or 2 (x,y).");
  }
  const names = HEADERS[width];
  if (rows[0].values.some((cell) => !Number.isFinite(Number(cell)) || cell === "")) {
    const header = rows[0].values.map((cell) => cell.toLowerCase());
    if (header.join(",") !== names.join(",")) {
      throw new CsvError(rows[0].line, `the header is "${rows[0].values.join(",")}"; expected `
        + `"${names.join(",")}" (or no header).`);
    }
    rows = rows.slice(1);
  }
  if (!rows.length) throw new CsvError(0, "The file has a header but no rows of points.");
  if (rows.length > maxPoints) {
    throw new CsvError(0, `The file has ${rows.length} points; at most ${maxPoints} are allowed.`);
  }
  const parsed = rows.map(({ values, line }) => {
    if (values.length !== width) {
      throw new CsvError(line, `found ${values.length} values; expected ${width} (${names.join(",")}).`);
    }
    const numbers = values.map((cell, i) => parseNumber(cell, line, names[i]));
    if (width === 3) {
      const label = numbers[2];
      if (!Number.isInteger(label) || label < 0 || label >= maxClasses) {
        throw new CsvError(line, `label is ${values[2]}; a label is a class number from 0 to `
          + `${maxClasses - 1}.`);
      }
    }
    return numbers;
  });
  if (width === 2) {
    return { inputs: parsed.map(([x]) => [x]), targets: parsed.map(([, y]) => [y]) };
  }
  const classes = Math.max(2, ...parsed.map(([, , label]) => label + 1));
  const target = (label) => (classes === 2 ? [label]
    : Array.from({ length: classes }, (_, i) => (i === label ? 1 : 0)));
  return { inputs: parsed.map(([x1, x2]) => [x1, x2]), targets: parsed.map(([, , label]) => target(label)) };
}
