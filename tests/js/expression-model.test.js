// The expression widget's reading of the typed text: which names need values, programs included.

import assert from "node:assert/strict";
import { test } from "node:test";
import { programText, variablesOf } from "../../static/js/widgets/expression-model.js";

test("an expression's variables in order of first use, skipping calls, strings and exponents", () => {
  assert.deepEqual(variablesOf("sigmoid(w*x + b) + 1e-3 * w"), ["w", "x", "b"]);
  assert.deepEqual(variablesOf("exp('a') + y"), ["y"]);
});

test("a program asks only for the names it reads before assigning them", () => {
  assert.deepEqual(variablesOf("a = -4.0\nb = 2.0\nc = a + b\nc += c + 1"), []);
  assert.deepEqual(variablesOf("c = c + w  # c and w come from the fields\nd = c * 2\nd ** 2"), ["c", "w"]);
  assert.deepEqual(variablesOf("total += x\nx = 3\ny = x == 2"), ["total", "x"]);
});

test("a lesson's program option: lines separated by semicolons", () => {
  assert.equal(programText("a = 2; b = a * a ;; b + a"), "a = 2\nb = a * a\nb + a");
  assert.equal(programText(undefined), "");
});
