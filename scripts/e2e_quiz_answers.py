"""Print the correct option ids of every quiz in the database as JSON (end-to-end tests only).

The browser journey must fail a quiz once before passing it, so it needs to know which answers
are wrong, and a quiz that allows a second attempt. From DATABASE_URL:
`{lesson_id: {"max_attempts": n | null, "questions": {question_id: [correct option ids]}}}`.
"""

from __future__ import annotations

import asyncio
import json
import sys

from sqlalchemy import select

from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import create_engine, create_session_factory
from pintar_ekspor.courses.models import Lesson, LessonKind


async def main() -> int:
    settings = Settings()
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            lessons = await session.scalars(select(Lesson).where(Lesson.kind == LessonKind.QUIZ))
            answers = {
                str(lesson.id): {
                    "max_attempts": lesson.max_attempts,
                    "questions": {
                        str(q["id"]): [str(o["id"]) for o in q["options"] if o.get("correct")]
                        for q in lesson.quiz_questions or []
                    },
                }
                for lesson in lessons
            }
    finally:
        await engine.dispose()
    json.dump(answers, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
