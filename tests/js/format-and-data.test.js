// Formatting, CSV parsing, the shape of the data, and editing points by hand.

import assert from "node:assert/strict";
import { test } from "node:test";
import { CsvError, parsePoints } from "../../static/js/core/csv.js";
import { classOf, dataShape } from "../../static/js/core/data-shape.js";
import { describeShape, formatNumber, shapeOf } from "../../static/js/core/format.js";
import { addPoint, nearestPoint, removePoint } from "../../static/js/playground/point-edits.js";

const LIMITS = { maxPoints: 5, maxClasses: 4, maxFeatures: 64 };

test("numbers: four significant digits, exponents for tiny and huge, null as infinity", () => {
  assert.equal(formatNumber(0.37754066879814546), "0.3775");
  assert.equal(formatNumber(-0.021707153467853746), "-0.02171");
  assert.equal(formatNumber(1.23456e-5), "1.235e-5");
  assert.equal(formatNumber(123456.7), "1.235e+5");
  assert.equal(formatNumber(12.125, 3), "12.1");
  assert.equal(formatNumber(0), "0");
  assert.equal(formatNumber(null), "∞");
  assert.equal(describeShape([]), "scalar");
  assert.equal(describeShape([3]), "vector of 3");
  assert.equal(describeShape([2, 3]), "matrix 2 × 3");
  assert.deepEqual(shapeOf([[1, 2, 3], [4, 5, 6]]), [2, 3]);
});

test("CSV: labels become 0/1 targets or one-hot rows, x,y a 1-D curve, a header is optional", () => {
  assert.deepEqual(parsePoints("x1,x2,label\n0.5,1,0\n-1,2,1\n", LIMITS),
    { inputs: [[0.5, 1], [-1, 2]], targets: [[0], [1]] });
  assert.deepEqual(parsePoints("0,0,2\n1,1,0\n", LIMITS).targets, [[0, 0, 1], [1, 0, 0]]);
  assert.deepEqual(parsePoints("\uFEFFx,y\r\n1,2\r\n3,4", LIMITS), { inputs: [[1], [3]], targets: [[2], [4]] });
});

test("CSV: each malformed file is refused with its line and problem", () => {
  const refuses = (text, pattern) => assert.throws(() => parsePoints(text, LIMITS),
    (error) => error instanceof CsvError && pattern.test(error.message));
  refuses("", /empty/);
  refuses("a,b,c,d\n", /header is "a,b,c,d"; its last column must be "label"/);
  refuses("x1,x2,y\n1,2,0", /header is "x1,x2,y"/);
  refuses("1,2,0\n1,oops,1", /Line 2: x2 is "oops"/);
  refuses("1,2,0\n1,2", /Line 2: found 2 values/);
  refuses("1,2,4", /label is 4/);
  refuses("1,2,0.5", /label is 0.5/);
  refuses("1,2\n".repeat(6), /6 points; at most 5/);
  refuses(`${"1,".repeat(65)}0`, /found 65 feature columns; at most 64/);
  refuses("1,2,3,4,0\n1,2,3,0", /Line 2: found 4 values; expected 5 \(4 features and a label\)/);
  refuses("7", /found 1 column/);
});

test("CSV: up to 64 features with a label, or a target column to fit", () => {
  const wide = parsePoints("a,b,c,label\n1,2,3,2\n4,5,6,0\n", LIMITS);
  assert.deepEqual(wide, { inputs: [[1, 2, 3], [4, 5, 6]], targets: [[0, 0, 1], [1, 0, 0]] });
  assert.deepEqual(parsePoints("1,2,3,1\n4,5,6,0", LIMITS).targets, [[1], [0]]);
  assert.deepEqual(parsePoints("p,q,target\n1,2,0.5\n3,4,-2", LIMITS), { inputs: [[1, 2], [3, 4]], targets: [[0.5], [-2]] });
  const pixels = parsePoints(`${"0.5,".repeat(64)}3`, LIMITS);
  assert.equal(pixels.inputs[0].length, 64);
});

test("the data's shape: binary labels, classes, or numbers to fit", () => {
  const binary = dataShape({ inputs: [[0, 1], [1, 0]], targets: [[0], [1]] });
  assert.deepEqual(binary, { dim: 2, width: 1, kind: "binary", classes: 2, unit: true });
  const classes = dataShape({ inputs: [[0, 1]], targets: [[0, 0, 1]] });
  assert.equal(classes.kind, "classes");
  assert.equal(classOf([0, 0, 1], classes), 2);
  assert.equal(dataShape({ inputs: [[1]], targets: [[2.5]] }).kind, "regression");
  assert.equal(dataShape(null), null);
});

test("points added where clicked, removed, the nearest found; limits say why not", () => {
  const data = { inputs: [[0, 0], [1, 1]], targets: [[0], [1]] };
  const shape = dataShape(data);
  const { points } = addPoint(data, shape, 0.123456, -2, 1, 10);
  assert.deepEqual(points.inputs.at(-1), [0.1235, -2]);
  assert.deepEqual(points.targets.at(-1), [1]);
  assert.deepEqual(data.inputs.length, 2, "the shown data are not changed");
  assert.match(addPoint(data, shape, 0, 0, 0, 2).problem, /At most 2 points/);
  assert.deepEqual(removePoint(data, 0).points.inputs, [[1, 1]]);
  assert.match(removePoint({ inputs: [[0, 0]], targets: [[1]] }, 0).problem, /last point/);
  assert.equal(nearestPoint(data, shape, 0.9, 0.8), 1);
});
