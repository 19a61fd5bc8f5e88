"""Courses: catalogue, authoring, sections, lessons and quizzes."""
