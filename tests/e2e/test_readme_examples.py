"""The README's examples, run as a reader would paste them: each block marked `<!-- test: sh -->`
or `<!-- test: python -->` runs in a fresh folder (the shell's against the live test server in
place of http://127.0.0.1:8000), and prints every line its `# prints:` comments promise."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
BLOCK = re.compile(r"<!-- test: (python|sh) -->\n```\w+\n(.*?)```", re.S)
EXAMPLES = BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def test_the_readme_has_its_examples():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize(("language", "code"), EXAMPLES,
                         ids=[f"{lang}-{i}" for i, (lang, _) in enumerate(EXAMPLES)])
def test_readme_example_prints_what_it_says(live_server, tmp_path, language, code):
    promised = re.findall(r"^# prints: (.*)$", code, re.M)
    assert promised, "each tested example says what it prints"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(ROOT)}
    if language == "python":
        command = [sys.executable, "-c", code]
    else:
        command = ["bash", "-euo", "pipefail", "-c",
                   code.replace("http://127.0.0.1:8000", live_server)]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    printed = [line.rstrip() for line in result.stdout.splitlines()]
    for line in promised:
        assert line.rstrip() in printed, (line, result.stdout[-2000:])
