"""The web process stays light: building the app never imports the numeric stack.

numpy, pandas, scipy, statsmodels and matplotlib belong to the analytics worker processes
(and fpdf2, which imports numpy, to the first certificate PDF). A fresh interpreter is used
because this test process has imported them long ago.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("numpy", "pandas", "scipy", "statsmodels", "matplotlib", "fpdf")

PROGRAM = f"""
import json, sys
from pintar_ekspor.main import create_app
create_app()
print(json.dumps(sorted(name for name in {HEAVY!r} if name in sys.modules)))
"""


def test_building_the_app_imports_no_numeric_module() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
