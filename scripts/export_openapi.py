"""Write the platform's OpenAPI document as JSON without starting a server.

Usage: python scripts/export_openapi.py [OUTPUT]   (default: stdout)

The web app's TypeScript client is generated from this file (`make openapi`), and CI regenerates
it to check that the committed client is not stale (`make frontend-check`).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


def main() -> int:
    from pintar_ekspor.core.config import Settings
    from pintar_ekspor.main import create_app

    # The schema must not depend on the machine: default settings only (no .env, none of the
    # caller's environment), no UI mount, no database file.
    for name in Settings.model_fields:
        os.environ.pop(name.upper(), None)
    os.environ["ENV"] = "test"
    os.environ["FRONTEND_DIST"] = tempfile.mkdtemp(prefix="pe-no-ui-")
    os.environ["DATABASE_URL"] = "sqlite+aiosqlite:///:memory:"

    app = create_app(Settings(_env_file=None))  # type: ignore[call-arg]
    text = json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
