"""Learning: enrolments, lesson progress, quiz attempts, completion and learning events."""
