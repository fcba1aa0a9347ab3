// Points from a CSV file: feature columns, then a label (classes 0, 1, ...) or a target (a number
// to fit), header optional. Without a header two columns are x,y (a 1-D curve) and more are
// features then a label (x1,x2,label); with one, the last column's name says which: "label", or
// "target" ("y" too, after one feature). A malformed file is refused with the line and the problem.

export class CsvError extends Error {
  constructor(line, message) {
    super(line ? `Line ${line}: ${message}` : message);
    this.line = line;
  }
}

function cells(text) {
  return text.split(",").map((cell) => cell.trim().replace(/^"(.*)"$/, "$1").trim());
}

function parseNumber(cell, line, column) {
  if (cell === "" || !Number.isFinite(Number(cell))) {
    throw new CsvError(line, `${column} is "${cell}", which is not a number.`);
  }
  return Number(cell);
}

const isNumber = (cell) => cell !== "" && Number.isFinite(Number(cell));

// The columns' names and what the last one is ("label" or "target"), from the header if the
// first row is one (any cell not a number), else by the number of columns.
function columnsOf(first, width) {
  if (first.values.every(isNumber)) {
    if (width === 2) return { names: ["x", "y"], last: "target", header: false };
    const features = width === 3 ? ["x1", "x2"] : Array.from({ length: width - 1 }, (_, i) => `x${i + 1}`);
    return { names: [...features, "label"], last: "label", header: false };
  }
  const names = first.values;
  const end = names.at(-1).toLowerCase();
  const last = end === "label" ? "label" : end === "target" || (width === 2 && end === "y") ? "target" : null;
  if (!last) {
    throw new CsvError(first.line, `the header is "${names.join(",")}"; its last column must be "label" `
      + '(a class 0, 1, …) or "target" (a number to fit), as in "x1,x2,label" or "x,y".');
  }
  return { names, last, header: true };
}

function checkSize(rows, width, { maxPoints, maxFeatures }, line) {
  if (width < 2) throw new CsvError(line, "found 1 column; expected features and then a label or a target.");
  if (width - 1 > maxFeatures) {
    throw new CsvError(line, `found ${width - 1} feature columns; at most ${maxFeatures} (the input layer's limit) `
      + "and then a label or a target.");
  }
  if (!rows.length) throw new CsvError(0, "The file has a header but no rows of points.");
  if (rows.length > maxPoints) {
    throw new CsvError(0, `The file has ${rows.length} points; at most ${maxPoints} are allowed.`);
  }
}

function parseRow({ values, line }, { names, last }, maxClasses) {
  const width = names.length;
  if (values.length !== width) {
    throw new CsvError(line, `found ${values.length} values; expected ${width}`
      + `${width <= 4 ? ` (${names.join(",")})` : ` (${width - 1} features and a ${last})`}.`);
  }
  const numbers = values.map((cell, i) => parseNumber(cell, line, names[i]));
  const label = numbers[width - 1];
  if (last === "label" && (!Number.isInteger(label) || label < 0 || label >= maxClasses)) {
    throw new CsvError(line, `label is ${values[width - 1]}; a label is a class number from 0 to ${maxClasses - 1}.`);
  }
  return numbers;
}

// {inputs, targets} for the CSV text: labels 0/1 give one 0/1 target per row, more classes give
// one-hot rows; a target column gives one number to fit per row. At most `maxPoints` rows,
// `maxFeatures` feature columns (2 unless said) and `maxClasses` classes (one output neuron
// each). Throws a CsvError.
export function parsePoints(text, { maxPoints, maxClasses, maxFeatures = 2 }) {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/)
    .map((content, index) => ({ content: content.trim(), line: index + 1 }))
    .filter(({ content }) => content !== "");
  if (!lines.length) throw new CsvError(0, "The file is empty: expected rows of features and a label or target, such as x1,x2,label or x,y.");
  const rows = lines.map(({ content, line }) => ({ values: cells(content), line }));
  const width = rows[0].values.length;
  const columns = columnsOf(rows[0], width);
  const body = columns.header ? rows.slice(1) : rows;
  checkSize(body, width, { maxPoints, maxFeatures }, rows[0].line);
  const parsed = body.map((row) => parseRow(row, columns, maxClasses));
  const inputs = parsed.map((numbers) => numbers.slice(0, -1));
  if (columns.last === "target") return { inputs, targets: parsed.map((numbers) => [numbers.at(-1)]) };
  const classes = Math.max(2, ...parsed.map((numbers) => numbers.at(-1) + 1));
  const target = (label) => (classes === 2 ? [label]
    : Array.from({ length: classes }, (_, i) => (i === label ? 1 : 0)));
  return { inputs, targets: parsed.map((numbers) => target(numbers.at(-1))) };
}
